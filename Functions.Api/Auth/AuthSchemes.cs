using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Functions.Api.Auth;

/// <summary>How callers prove who they are.</summary>
public static class AuthSchemes
{
    /// <summary>Our access tokens in <c>Authorization: Bearer</c> (ASP.NET Core's JwtBearer).</summary>
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>An upgrade-link token in the query (<c>?token=</c>): pricing page and checkout links.</summary>
    public const string UpgradeLink = "UpgradeLink";

    /// <summary>Bearer when an Authorization header is sent, else the upgrade-link token (checkout from the pricing page).</summary>
    public const string BearerOrUpgradeLink = "BearerOrUpgradeLink";

    public const string LinkTokenQuery = "token";
}
