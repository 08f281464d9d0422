namespace Shared.Domain.Marketplace;

public sealed class MarketplaceOptions
{
    public int PageSizeDefault { get; set; } = 20;

    public int PageSizeMax { get; set; } = 100;
}
