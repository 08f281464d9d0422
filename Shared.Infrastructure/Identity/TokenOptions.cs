namespace Shared.Infrastructure.Identity;

public sealed class TokenOptions
{
    public string Issuer { get; set; } = "serverless-backend";

    public string Audience { get; set; } = "serverless-api";

    public int LifetimeSeconds { get; set; } = 900;

    /// <summary>Issued tokens kept for reuse per instance; beyond this the least recently used are dropped (and re-signed when asked for again).</summary>
    public int CachedTokens { get; set; } = 20_000;

    /// <summary>The audience of upgrade-link tokens (never accepted as an access token, and the reverse).</summary>
    public string LinkAudience { get; set; } = "serverless-upgrade-link";

    /// <summary>How long an upgrade link (identify's <c>upgrade_url</c>, the pricing page's checkout links) stays usable.</summary>
    public int LinkLifetimeSeconds { get; set; } = 1800;
}
