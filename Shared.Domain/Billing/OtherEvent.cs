namespace Shared.Domain.Billing;

/// <summary>Any event type billing does not act on; it is acknowledged and remembered.</summary>
public sealed record OtherEvent(string Id, string Type, DateTimeOffset Created) : BillingEvent(Id, Type, Created, new Dictionary<string, string>());
