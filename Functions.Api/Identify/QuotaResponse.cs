namespace Functions.Api.Identify;

public sealed record QuotaResponse(int HitsUsed, int? HitsRemaining, int? HitsLimit, string Period, string SubscriptionPlan, string? NextReset);
