using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>What a sign-in answers: a short-lived access token and a refresh token (shown once; stored only hashed).</summary>
public sealed record Session(string AccessToken, int ExpiresIn, string RefreshToken, UserId UserId);
