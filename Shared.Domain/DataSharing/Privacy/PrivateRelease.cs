namespace Shared.Domain.DataSharing.Privacy;

/// <summary>A night's differentially private release: its manifest and its rows (noisy counts of distinct users).</summary>
public sealed record PrivateRelease(ReleaseManifest Manifest, IReadOnlyList<ReleasedCount> Rows)
{
    public long? UsersOnSite(RegistrableDomain site) =>
        Rows.FirstOrDefault(r => r.Table == ReleaseTable.Sites && r.Site == site.Value)?.Users;

    public long? UsersOnSiteRequesting(RegistrableDomain site, FeatureCategory category) =>
        Rows.FirstOrDefault(r => r.Table == ReleaseTable.SiteCategories && r.Site == site.Value && r.Category == FeatureCategories.Name(category))?.Users;

    public long? UsersWithKind(DataSharingEventKind kind) =>
        Rows.FirstOrDefault(r => r.Table == ReleaseTable.Kinds && r.Kind == DataSharingEventKinds.Name(kind))?.Users;

    /// <summary>
    /// "Share of users on <paramref name="site"/> who requested <paramref name="category"/>", derived from the two
    /// released noisy counts only (post-processing, so it costs no budget); null unless both rows were released. Noise
    /// can push the quotient past 1, so it is clamped to [0, 1].
    /// </summary>
    public double? ShareOfSiteUsersRequesting(RegistrableDomain site, FeatureCategory category)
    {
        if (UsersOnSite(site) is not { } onSite || UsersOnSiteRequesting(site, category) is not { } requesting)
        {
            return null;
        }

        return Math.Clamp((double)requesting / onSite, 0, 1);
    }
}
