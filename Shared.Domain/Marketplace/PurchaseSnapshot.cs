namespace Shared.Domain.Marketplace;

/// <summary>
/// A purchase and the buyer's entitlement to its item as the store has them, each with an opaque version for the
/// conditional write that follows (null: not stored yet).
/// </summary>
public sealed record PurchaseSnapshot(Purchase? Purchase, string? PurchaseVersion, Entitlement? Entitlement, string? EntitlementVersion);
