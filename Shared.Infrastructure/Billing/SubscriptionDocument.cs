using System.Text.Json.Serialization;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Billing;

/// <summary>A subscription as stored (both stores), one per Stripe subscription id; all property names lower case.</summary>
public sealed class SubscriptionDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "subscription";

    public string StripeSubscriptionId { get; set; } = "";

    public string StripeCustomerId { get; set; } = "";

    public string PlanId { get; set; } = "";

    public string BillingCycle { get; set; } = "monthly";

    public string Status { get; set; } = "active";

    public long CurrentPeriodStartMs { get; set; }

    public long CurrentPeriodEndMs { get; set; }

    public bool CancelAtPeriodEnd { get; set; }

    public long? GraceUntilMs { get; set; }

    public long StripeUpdatedAtMs { get; set; }

    /// <summary>Absent in documents written before subscriptions were kept by id: the period start stands in.</summary>
    public long? BillingAnchorMs { get; set; }

    public static string IdFor(string subscriptionId) => "subscription:" + subscriptionId;

    /// <summary>The id of the one subscription document per user that the first versions kept (Cosmos migrates it on read).</summary>
    public static string LegacyIdFor(UserId userId) => "subscription:" + userId.Value;

    public static SubscriptionDocument From(Subscription s) => new()
    {
        Id = IdFor(s.StripeSubscriptionId),
        TenantId = s.TenantId.Value,
        UserId = s.UserId.Value,
        StripeSubscriptionId = s.StripeSubscriptionId,
        StripeCustomerId = s.StripeCustomerId,
        PlanId = s.PlanId.Value,
        BillingCycle = BillingText.Format(s.Cycle),
        Status = BillingText.Format(s.Status),
        CurrentPeriodStartMs = s.CurrentPeriodStart.ToUnixTimeMilliseconds(),
        CurrentPeriodEndMs = s.CurrentPeriodEnd.ToUnixTimeMilliseconds(),
        CancelAtPeriodEnd = s.CancelAtPeriodEnd,
        GraceUntilMs = s.GraceUntil?.ToUnixTimeMilliseconds(),
        StripeUpdatedAtMs = s.StripeUpdatedAt.ToUnixTimeMilliseconds(),
        BillingAnchorMs = s.BillingAnchor.ToUnixTimeMilliseconds(),
    };

    public Subscription ToSubscription() => new(
        Domain.Common.TenantId.Parse(TenantId),
        Domain.Common.UserId.Parse(UserId),
        StripeSubscriptionId,
        StripeCustomerId,
        Domain.Common.PlanId.Parse(PlanId),
        BillingText.TryParseCycle(BillingCycle, out var cycle) ? cycle : throw new FormatException($"Unknown billing cycle '{BillingCycle}'."),
        BillingText.ParseStatus(Status),
        DateTimeOffset.FromUnixTimeMilliseconds(CurrentPeriodStartMs),
        DateTimeOffset.FromUnixTimeMilliseconds(CurrentPeriodEndMs),
        CancelAtPeriodEnd,
        GraceUntilMs is { } grace ? DateTimeOffset.FromUnixTimeMilliseconds(grace) : null,
        DateTimeOffset.FromUnixTimeMilliseconds(StripeUpdatedAtMs),
        DateTimeOffset.FromUnixTimeMilliseconds(BillingAnchorMs ?? CurrentPeriodStartMs));
}
