namespace Functions.Api.Billing;

/// <summary>The subscription after a cancellation at period end: still its status until <see cref="CurrentPeriodEnd"/>.</summary>
public sealed record CancelResponse(string Status, bool CancelAtPeriodEnd, DateTimeOffset CurrentPeriodEnd);
