namespace Shared.Domain.Marketplace;

/// <summary>The orders a search can ask for; every one is descending with the item id as the tie-break.</summary>
public enum ItemSort
{
    /// <summary>Items whose title holds every search word first, then the others; each group by <see cref="Rating"/>.</summary>
    Relevance,

    /// <summary>By the confidence-aware score (<see cref="ConfidenceScore"/>), not the raw average.</summary>
    Rating,

    /// <summary>By lifetime installs.</summary>
    Installs,

    /// <summary>By creation time.</summary>
    Newest,
}
