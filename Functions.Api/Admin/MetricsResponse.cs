using System.Globalization;
using Shared.Domain.Admin;

namespace Functions.Api.Admin;

/// <summary><c>GET /admin/metrics</c>: the figures of <see cref="AdminMetrics"/> (defined there and in the README); money in minor units per currency.</summary>
public sealed record MetricsResponse(
    string From,
    string To,
    DateTimeOffset MeasuredAt,
    IReadOnlyList<MetricsAmount> Mrr,
    IReadOnlyList<MetricsPlanItem> ActiveSubscriptions,
    int NewUsers,
    int Conversions,
    int ActiveSubscriptionsAtStart,
    int ChurnedSubscriptions,
    decimal? ChurnRate,
    IReadOnlyList<MetricsDayCount> UsesPerDay,
    IReadOnlyList<MetricsDayCount> AiRequestsPerDay)
{
    public static MetricsResponse Of(MetricsReport r) => new(
        r.From.ToString(AdminMetrics.DateFormat, CultureInfo.InvariantCulture),
        r.To.ToString(AdminMetrics.DateFormat, CultureInfo.InvariantCulture),
        r.MeasuredAt,
        r.Mrr,
        [.. r.ActiveSubscriptions.Select(p => new MetricsPlanItem(p.PlanId.Value, p.Count))],
        r.NewUsers,
        r.Conversions,
        r.ActiveAtStart,
        r.ChurnedSubscriptions,
        r.ChurnRate,
        r.UsesPerDay,
        r.AiRequestsPerDay);
}
