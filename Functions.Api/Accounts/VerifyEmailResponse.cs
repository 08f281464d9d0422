namespace Functions.Api.Accounts;

public sealed record VerifyEmailResponse(string UserId, bool Verified);
