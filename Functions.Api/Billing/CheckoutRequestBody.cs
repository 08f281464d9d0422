namespace Functions.Api.Billing;

/// <summary>The body of <c>POST /subscriptions/checkout</c>.</summary>
public sealed class CheckoutRequestBody
{
    /// <summary>Optional; when present it must be the caller (the Bearer token's or the link token's user).</summary>
    public string? UserId { get; set; }

    public string? PlanId { get; set; }

    public string? BillingCycle { get; set; }

    public string? SuccessUrl { get; set; }

    public string? CancelUrl { get; set; }
}
