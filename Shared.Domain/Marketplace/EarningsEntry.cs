using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One line of a creator's earnings ledger, keyed by its purchase and kind (<c>{purchase}:sale</c>,
/// <c>{purchase}:reversal</c>), so each is written once. <see cref="AmountCents"/> is signed: a reversal is negative.
/// </summary>
public sealed record EarningsEntry(TenantId TenantId, string PurchaseId, EarningsKind Kind, UserId CreatorId, string ItemId, long AmountCents, string Currency, DateTimeOffset CreatedAt)
{
    public string Id => PurchaseId + (Kind == EarningsKind.Sale ? ":sale" : ":reversal");
}
