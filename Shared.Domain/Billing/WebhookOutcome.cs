namespace Shared.Domain.Billing;

/// <summary>What a Stripe event came to; every outcome is acknowledged to Stripe with a 200.</summary>
public enum WebhookOutcome
{
    /// <summary>The event changed state (or was checked and needed no change).</summary>
    Applied,

    /// <summary>The event was handled before; nothing was done.</summary>
    Duplicate,

    /// <summary>The event is of no concern (another tenant's, an older state, a type we do not act on).</summary>
    Ignored,
}
