namespace Functions.Api.Wallets;

/// <summary><c>GET /credits/me</c>: the caller's GPT-store credits that can be spent.</summary>
public sealed record CreditsResponse(long Balance);
