namespace Shared.Domain.Marketplace;

public sealed class MarketplaceOptions
{
    public int PageSizeDefault { get; set; } = 20;

    public int PageSizeMax { get; set; } = 100;

    /// <summary>
    /// The embedded store answers a tenant's searches from an in-process index of its listed items while they are at
    /// most this many (each costs ~1–2 KB of memory); a larger catalog is searched with SQL. Zero: always SQL.
    /// </summary>
    public int SearchIndexMaxItems { get; set; } = 25_000;

    /// <summary>How long a catalog found too large for the index is searched with SQL before it is counted again (injected clock).</summary>
    public TimeSpan SearchIndexRetry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Refuses sizes that would stop paging or the index (checked once, when the section is bound).</summary>
    public MarketplaceOptions Validate()
    {
        if (PageSizeDefault < 1 || PageSizeMax < PageSizeDefault)
        {
            throw new InvalidOperationException("Marketplace:PageSizeDefault must be at least 1 and PageSizeMax at least PageSizeDefault.");
        }

        if (SearchIndexMaxItems < 0 || SearchIndexRetry < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Marketplace:SearchIndexMaxItems and SearchIndexRetry must not be negative (0 items: search with SQL only).");
        }

        return this;
    }
}
