namespace Shared.Domain.Admin;

/// <summary>An amount of one currency in integer minor units (a metrics figure, so it may be any size a sum reaches).</summary>
public sealed record MetricsAmount(string Currency, long MinorUnits);
