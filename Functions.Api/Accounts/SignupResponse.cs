namespace Functions.Api.Accounts;

/// <summary>201 of sign-up (for an address that already has an account, an id that belongs to nobody: see README).</summary>
public sealed record SignupResponse(string UserId);
