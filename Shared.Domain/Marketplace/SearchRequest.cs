namespace Shared.Domain.Marketplace;

/// <summary>A search as the client asked for it (query string values, not validated yet).</summary>
public sealed record SearchRequest
{
    public string? Query { get; init; }

    public string? Category { get; init; }

    public string? Kind { get; init; }

    public long? MinPrice { get; init; }

    public long? MaxPrice { get; init; }

    public bool? Free { get; init; }

    public string? Sort { get; init; }

    public string? Continuation { get; init; }

    public int? Limit { get; init; }
}
