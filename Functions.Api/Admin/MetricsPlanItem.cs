namespace Functions.Api.Admin;

public sealed record MetricsPlanItem(string PlanId, int Count);
