using Stripe;

namespace Shared.Infrastructure.Stripe;

/// <summary>
/// The Stripe API version this backend speaks: the one Stripe.net 53.1.0 is generated for (its requests send it as
/// <c>Stripe-Version</c>, and it accepts webhook events of its release train only). Webhook endpoints in Stripe must be
/// created with this version. Changing it means changing the Stripe.net version (docs/decisions/0005).
/// </summary>
public static class StripeApiVersion
{
    public const string Pinned = "2026-10-28.endive";

    /// <summary>Stripe.net's own value; a test checks it equals <see cref="Pinned"/>, so a package bump cannot change it silently.</summary>
    public static string OfLibrary => StripeConfiguration.ApiVersion;
}
