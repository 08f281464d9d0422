namespace Functions.Api.Wallets;

/// <summary>One page of the caller's ledger, newest first; <see cref="Continuation"/> fetches the next (null at the end).</summary>
public sealed record WalletEntryListResponse(IReadOnlyList<WalletEntryResponse> Items, string? Continuation);
