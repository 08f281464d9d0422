namespace Shared.Domain.Marketplace;

/// <summary>
/// One store query of a search: the filters (combined with AND), the order and where to continue. Every list is
/// ordered by (<see cref="Sort"/>'s key, id) descending, so the cursor (<see cref="AfterKey"/>, <see cref="AfterId"/>)
/// names a unique position (keyset paging); <see cref="CreatedUpTo"/> is the first page's time, so items added while a
/// client pages are not mixed into its pages.
/// </summary>
public sealed record ItemSearch
{
    /// <summary>Substrings of the normalised text each match contains (<see cref="SearchText.Patterns"/>).</summary>
    public IReadOnlyList<string> Patterns { get; init; } = [];

    /// <summary>True: every pattern is in the title; false: not every one is (the rest of the matches); null: no split.</summary>
    public bool? InTitle { get; init; }

    public string? Category { get; init; }

    public ItemKind? Kind { get; init; }

    public long? MinPrice { get; init; }

    public long? MaxPrice { get; init; }

    /// <summary>True: free items only; false: paid ones only.</summary>
    public bool? Free { get; init; }

    public ItemSort Sort { get; init; } = ItemSort.Relevance;

    public required long CreatedUpTo { get; init; }

    public long? AfterKey { get; init; }

    public string? AfterId { get; init; }

    public required int Limit { get; init; }
}
