namespace Shared.Domain.Admin;

/// <summary>
/// A tenant's figures for the UTC days <see cref="From"/>..<see cref="To"/> (both included). Point-in-time figures
/// (MRR, active subscriptions) are taken at <see cref="MeasuredAt"/>: the window's end, or now if that is earlier.
/// Each figure's definition is in <see cref="AdminMetrics"/> and the README.
/// </summary>
public sealed record MetricsReport(
    DateOnly From,
    DateOnly To,
    DateTimeOffset MeasuredAt,
    IReadOnlyList<MetricsAmount> Mrr,
    IReadOnlyList<MetricsPlanCount> ActiveSubscriptions,
    int NewUsers,
    int Conversions,
    int ActiveAtStart,
    int ChurnedSubscriptions,
    decimal? ChurnRate,
    IReadOnlyList<MetricsDayCount> UsesPerDay,
    IReadOnlyList<MetricsDayCount> AiRequestsPerDay);
