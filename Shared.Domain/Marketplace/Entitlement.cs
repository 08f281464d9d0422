using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The buyer's right to install a paid item: one per (tenant, item, buyer), granted by the purchase
/// <see cref="PurchaseId"/> and revoked when that purchase is refunded (a refund of another purchase of the same item
/// leaves it alone).
/// </summary>
public sealed record Entitlement(TenantId TenantId, string ItemId, UserId BuyerId, string PurchaseId, DateTimeOffset GrantedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}
