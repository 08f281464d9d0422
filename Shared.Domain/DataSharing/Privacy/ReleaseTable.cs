namespace Shared.Domain.DataSharing.Privacy;

/// <summary>The three tables of a release; each is its own query with its own bound, budget share and threshold.</summary>
public enum ReleaseTable
{
    /// <summary>Distinct users per site.</summary>
    Sites,

    /// <summary>Distinct users per (site, feature category): users seen on the site that day who requested a feature of the category that day.</summary>
    SiteCategories,

    /// <summary>Distinct users per event kind.</summary>
    Kinds,
}
