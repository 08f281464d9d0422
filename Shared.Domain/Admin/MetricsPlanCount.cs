using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>How many subscriptions of one plan are live at the report's measuring instant.</summary>
public sealed record MetricsPlanCount(PlanId PlanId, int Count);
