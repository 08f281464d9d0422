namespace Shared.Infrastructure.Stripe;

/// <summary>Stripe.net's client settings (section <c>Stripe</c>).</summary>
public sealed class StripeOptions
{
    /// <summary>Stripe.net's <c>ApiBase</c>: Stripe itself, or a local server speaking Stripe's shapes in tests.</summary>
    public string BaseUrl { get; set; } = "https://api.stripe.com";

    /// <summary>The HttpClient's timeout, per attempt.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Stripe.net's <c>maxNetworkRetries</c>: network failures, 409 and 5xx are retried (and whatever Stripe marks
    /// <c>Stripe-Should-Retry: true</c>) with its own backoff (0.5 s doubling to 5 s, jittered), each time with the same
    /// idempotency key.
    /// </summary>
    public int MaxNetworkRetries { get; set; } = 2;
}
