using Shared.Domain.Accounts;

namespace Functions.Api.Accounts;

/// <summary>A sign-in's tokens: the access token for <c>Authorization: Bearer</c>, and the refresh token to renew it.</summary>
public sealed record SessionResponse(string AccessToken, int ExpiresIn, string RefreshToken, string UserId, string TokenType)
{
    public static SessionResponse From(Session session) => new(session.AccessToken, session.ExpiresIn, session.RefreshToken, session.UserId.Value, "Bearer");
}
