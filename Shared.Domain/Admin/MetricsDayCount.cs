namespace Shared.Domain.Admin;

/// <summary>A count for one UTC day.</summary>
public sealed record MetricsDayCount(DateOnly Day, int Count);
