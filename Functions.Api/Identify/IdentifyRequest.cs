namespace Functions.Api.Identify;

public sealed class IdentifyRequest
{
    public string? ExtensionId { get; set; }

    /// <summary>An unverified hint: kept as a new user's contact email, never used to find or join anyone.</summary>
    public string? Email { get; set; }

    /// <summary>An OpenID Connect ID token of the tenant's identity provider: the proof that links installations.</summary>
    public string? IdToken { get; set; }

    public string? ActionType { get; set; }

    public string? RequestId { get; set; }
}
