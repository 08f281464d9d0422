namespace Shared.Infrastructure.Identity;

/// <summary>Claim names in our tokens.</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Tenant = "tid";
    public const string Role = "role";

    /// <summary>What a link token is for (<c>upgrade</c>); access tokens have none.</summary>
    public const string Purpose = "purpose";
}
