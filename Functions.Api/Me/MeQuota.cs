namespace Functions.Api.Me;

public sealed record MeQuota(int Used, int? Limit, string PeriodStart, string PeriodEnd);
