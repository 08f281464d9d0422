using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>
/// One aggregate of a day's activity of opted-in users: a metric, a dimension value from a closed vocabulary, how many
/// events and how many distinct (pseudonymous) contributors. No identifier, address or free text is ever part of it.
/// </summary>
public sealed record InsightRow(TenantId TenantId, DateOnly Day, string Metric, string Dimension, int Events, int Contributors);
