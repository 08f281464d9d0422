namespace Shared.Infrastructure.Secrets;

/// <summary>Names of the secrets the apps read. Key Vault secret names allow letters, digits and dashes only.</summary>
public static class SecretNames
{
    public const string JwtSigningKey = "jwt-signing-key";
    public const string JwtSigningKeyPrevious = "jwt-signing-key-previous";

    /// <summary>The signing secret of the tenant's Stripe webhook endpoint (whsec_…).</summary>
    public static string StripeWebhookSecret(string tenantId) => $"stripe-webhook-secret-{tenantId}";

    /// <summary>The previous webhook secret, accepted too while an endpoint's secret is rolled.</summary>
    public static string StripeWebhookSecretPrevious(string tenantId) => $"stripe-webhook-secret-{tenantId}-previous";

    /// <summary>The API key of the OpenAI-compatible AI provider.</summary>
    public const string AiApiKey = "ai-api-key";

    /// <summary>The tenant's Stripe secret API key (sk_…).</summary>
    public static string StripeSecretKey(string tenantId) => $"stripe-secret-key-{tenantId}";
}
