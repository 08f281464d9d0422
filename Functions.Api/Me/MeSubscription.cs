namespace Functions.Api.Me;

public sealed record MeSubscription(string SubscriptionId, string Plan, string Cycle, string Status, string CurrentPeriodEnd, bool CancelAtPeriodEnd);
