namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// One released row: a partition of one table and its noisy count of distinct users. Only the dimensions of
/// <paramref name="Table"/> are set (<see cref="ReleaseTable.Sites"/>: site; <see cref="ReleaseTable.SiteCategories"/>: site
/// and category; <see cref="ReleaseTable.Kinds"/>: kind); categories and kinds by their wire names. The count is the
/// noisy value that passed the threshold, so it is at least the threshold and never an exact count.
/// </summary>
public sealed record ReleasedCount(ReleaseTable Table, string? Site, string? Category, string? Kind, long Users);
