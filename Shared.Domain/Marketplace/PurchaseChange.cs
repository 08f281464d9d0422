namespace Shared.Domain.Marketplace;

/// <summary>
/// One atomic write of a purchase's fulfilment or refund: the purchase (created when <see cref="ExpectedPurchaseVersion"/>
/// is null, else replaced if still at that version), optionally the entitlement (likewise), and the earnings entries
/// to add (each created once: an existing entry fails the whole change).
/// </summary>
public sealed record PurchaseChange(
    Purchase Purchase,
    string? ExpectedPurchaseVersion,
    Entitlement? Entitlement,
    string? ExpectedEntitlementVersion,
    IReadOnlyList<EarningsEntry> Earnings);
