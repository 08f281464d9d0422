namespace Functions.Api.Wallets;

/// <summary><c>GET /wallets/me</c>: everything the caller has (<see cref="BalanceCents"/>, open holds included) and the part held by campaigns.</summary>
public sealed record WalletResponse(long BalanceCents, long HeldCents, string Currency);
