namespace Shared.Domain.Billing;

/// <summary>charge.refunded: <see cref="AmountRefunded"/> is the charge's cumulative refunded amount.</summary>
public sealed record ChargeRefunded(
    string Id,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Metadata,
    string ChargeId,
    string? CustomerId,
    Common.Money AmountRefunded) : BillingEvent(Id, "charge.refunded", Created, Metadata);
