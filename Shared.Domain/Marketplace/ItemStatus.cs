namespace Shared.Domain.Marketplace;

/// <summary>Whether users can find an item: pending until an admin verifies it (unless the tenant auto-publishes), hidden by an admin.</summary>
public enum ItemStatus
{
    Pending,
    Published,
    Hidden,
}
