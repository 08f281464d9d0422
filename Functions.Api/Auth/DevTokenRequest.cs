namespace Functions.Api.Auth;

public sealed class DevTokenRequest
{
    public string? Email { get; set; }

    /// <summary>Default true; false mints a token whose email the "provider" has not verified (identify refuses it).</summary>
    public bool? EmailVerified { get; set; }

    /// <summary>The <c>aud</c>; default <see cref="DevIdentityProvider.DefaultAudience"/> (the demo tenant's client id).</summary>
    public string? Audience { get; set; }
}
