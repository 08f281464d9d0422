namespace Shared.Domain.Marketplace;

/// <summary>Where an earnings page ends: the last entry's time and id (entries are ordered by both, descending).</summary>
public sealed record EarningsCursor(long CreatedAtMs, string EntryId);
