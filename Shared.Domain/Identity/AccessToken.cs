namespace Shared.Domain.Identity;

public sealed record AccessToken(string Value, int ExpiresInSeconds);
