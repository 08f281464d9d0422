using System.Globalization;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// Purchases, entitlements and earnings in the embedded store. A change is one write operation of the single writer
/// (one transaction): its versions are checked first, inside it, so nothing is written unless all still match.
/// </summary>
public sealed class SqliteMarketplaceSalesStore(SqliteDatabase db) : IMarketplaceSalesStore
{
    private const string PurchaseColumns = "id, item_id, buyer_id, creator_id, price_cents, currency, creator_share_cents, session_id, completed_at_ms, refunded_at_ms, refunded_cents";

    public Task<PurchaseSnapshot> ReadAsync(TenantId tenantId, string itemId, string purchaseId, UserId buyerId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var purchaseCommand = Command(
                c,
                null,
                "SELECT " + PurchaseColumns + ", version FROM marketplace_purchases WHERE tenant_id = $t AND id = $id",
                ("$t", tenantId.Value),
                ("$id", purchaseId));
            var purchase = ReadAll(purchaseCommand, r => (Purchase: ReadPurchase(r, tenantId), Version: r.GetInt64(11))).FirstOrDefault();
            var entitlement = ReadEntitlement(c, tenantId, itemId, buyerId);
            return new PurchaseSnapshot(
                purchase.Purchase,
                purchase.Purchase is null ? null : Text(purchase.Version),
                entitlement.Entitlement,
                entitlement.Entitlement is null ? null : Text(entitlement.Version));
        }));

    public Task<bool> TryApplyAsync(PurchaseChange change, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var p = change.Purchase;
                var purchaseVersion = w.Scalar("SELECT version FROM marketplace_purchases WHERE tenant_id = $t AND id = $id", ("$t", p.TenantId.Value), ("$id", p.Id)) as long?;
                if (Text(purchaseVersion) != change.ExpectedPurchaseVersion)
                {
                    return false;
                }

                if (change.Entitlement is { } e)
                {
                    var entitlementVersion = w.Scalar("SELECT version FROM marketplace_entitlements WHERE tenant_id = $t AND item_id = $item AND buyer_id = $b", ("$t", e.TenantId.Value), ("$item", e.ItemId), ("$b", e.BuyerId.Value)) as long?;
                    if (Text(entitlementVersion) != change.ExpectedEntitlementVersion)
                    {
                        return false;
                    }
                }

                foreach (var entry in change.Earnings)
                {
                    if (w.Scalar("SELECT 1 FROM marketplace_earnings WHERE tenant_id = $t AND id = $id", ("$t", entry.TenantId.Value), ("$id", entry.Id)) is not null)
                    {
                        return false;
                    }
                }

                // Checked whole; the writes follow (in the same transaction).
                w.Execute(
                    "INSERT INTO marketplace_purchases (tenant_id, id, item_id, buyer_id, creator_id, price_cents, currency, creator_share_cents, session_id, completed_at_ms, refunded_at_ms, refunded_cents, version) "
                    + "VALUES ($t, $id, $item, $buyer, $creator, $price, $currency, $share, $session, $completed, $refunded, $refundedCents, 1) "
                    + "ON CONFLICT (tenant_id, id) DO UPDATE SET session_id = excluded.session_id, completed_at_ms = excluded.completed_at_ms, refunded_at_ms = excluded.refunded_at_ms, refunded_cents = excluded.refunded_cents, version = version + 1",
                    ("$t", p.TenantId.Value),
                    ("$id", p.Id),
                    ("$item", p.ItemId),
                    ("$buyer", p.BuyerId.Value),
                    ("$creator", p.CreatorId.Value),
                    ("$price", p.Price.MinorUnits),
                    ("$currency", p.Price.Currency),
                    ("$share", p.CreatorShareCents),
                    ("$session", p.SessionId),
                    ("$completed", p.CompletedAt?.ToUnixTimeMilliseconds()),
                    ("$refunded", p.RefundedAt?.ToUnixTimeMilliseconds()),
                    ("$refundedCents", p.RefundedCents));
                if (change.Entitlement is { } entitlement)
                {
                    w.Execute(
                        "INSERT INTO marketplace_entitlements (tenant_id, item_id, buyer_id, purchase_id, granted_at_ms, revoked_at_ms, version) VALUES ($t, $item, $b, $purchase, $granted, $revoked, 1) "
                        + "ON CONFLICT (tenant_id, item_id, buyer_id) DO UPDATE SET purchase_id = excluded.purchase_id, granted_at_ms = excluded.granted_at_ms, revoked_at_ms = excluded.revoked_at_ms, version = version + 1",
                        ("$t", entitlement.TenantId.Value),
                        ("$item", entitlement.ItemId),
                        ("$b", entitlement.BuyerId.Value),
                        ("$purchase", entitlement.PurchaseId),
                        ("$granted", entitlement.GrantedAt.ToUnixTimeMilliseconds()),
                        ("$revoked", entitlement.RevokedAt?.ToUnixTimeMilliseconds()));
                }

                foreach (var entry in change.Earnings)
                {
                    w.Execute(
                        "INSERT INTO marketplace_earnings (tenant_id, id, purchase_id, kind, creator_id, item_id, amount_cents, currency, created_at_ms) VALUES ($t, $id, $purchase, $kind, $creator, $item, $amount, $currency, $at)",
                        ("$t", entry.TenantId.Value),
                        ("$id", entry.Id),
                        ("$purchase", entry.PurchaseId),
                        ("$kind", MarketplaceText.Format(entry.Kind)),
                        ("$creator", entry.CreatorId.Value),
                        ("$item", entry.ItemId),
                        ("$amount", entry.AmountCents),
                        ("$currency", entry.Currency),
                        ("$at", entry.CreatedAt.ToUnixTimeMilliseconds()));
                }

                return true;
            },
            cancellationToken);

    public Task<IReadOnlyList<Purchase>> ListPurchasesAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Purchase>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT " + PurchaseColumns + " FROM marketplace_purchases WHERE tenant_id = $t AND item_id = $item AND buyer_id = $b",
                ("$t", tenantId.Value),
                ("$item", itemId),
                ("$b", buyerId.Value));
            return ReadAll(command, r => ReadPurchase(r, tenantId));
        }));

    public Task<Entitlement?> GetEntitlementAsync(TenantId tenantId, string itemId, UserId buyerId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => ReadEntitlement(c, tenantId, itemId, buyerId).Entitlement));

    public Task<EarningsPage> ListEarningsAsync(TenantId tenantId, UserId creatorId, int max, EarningsCursor? after, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT purchase_id, kind, item_id, amount_cents, currency, created_at_ms, id FROM marketplace_earnings WHERE tenant_id = $t AND creator_id = $c "
                + "AND (created_at_ms < $at OR (created_at_ms = $at AND id < $after)) ORDER BY created_at_ms DESC, id DESC LIMIT $max",
                ("$t", tenantId.Value),
                ("$c", creatorId.Value),
                ("$at", after?.CreatedAtMs ?? long.MaxValue),
                ("$after", after?.EntryId ?? "\uffff"),
                ("$max", max + 1));
            var items = ReadAll(command, r => new EarningsEntry(
                tenantId,
                r.GetString(0),
                MarketplaceText.ParseEarningsKind(r.GetString(1)),
                creatorId,
                r.GetString(2),
                r.GetInt64(3),
                r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
                EarningsEntry.RefundedThroughOf(r.GetString(6))));
            if (items.Count <= max)
            {
                return new EarningsPage(items, null);
            }

            items.RemoveAt(max);
            var last = items[^1];
            return new EarningsPage(items, new EarningsCursor(last.CreatedAt.ToUnixTimeMilliseconds(), last.Id));
        }));

    public Task<IReadOnlyDictionary<string, long>> EarningsTotalsAsync(TenantId tenantId, UserId creatorId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT currency, SUM(amount_cents) FROM marketplace_earnings WHERE tenant_id = $t AND creator_id = $c GROUP BY currency ORDER BY currency", ("$t", tenantId.Value), ("$c", creatorId.Value));
            return ReadAll(command, r => (r.GetString(0), r.GetInt64(1))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        }));

    private static (Entitlement? Entitlement, long Version) ReadEntitlement(SqliteConnection c, TenantId tenantId, string itemId, UserId buyerId)
    {
        using var command = Command(
            c,
            null,
            "SELECT purchase_id, granted_at_ms, revoked_at_ms, version FROM marketplace_entitlements WHERE tenant_id = $t AND item_id = $item AND buyer_id = $b",
            ("$t", tenantId.Value),
            ("$item", itemId),
            ("$b", buyerId.Value));
        return ReadAll(command, r => ((Entitlement?)new Entitlement(
            tenantId,
            itemId,
            buyerId,
            r.GetString(0),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2))), r.GetInt64(3))).FirstOrDefault();
    }

    private static Purchase ReadPurchase(SqliteDataReader r, TenantId tenantId) => new(
        tenantId,
        r.GetString(0),
        r.GetString(1),
        UserId.Parse(r.GetString(2)),
        UserId.Parse(r.GetString(3)),
        new Money(r.GetInt64(4), r.GetString(5)),
        r.GetInt64(6),
        r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        r.GetInt64(10));

    private static string? Text(long? version) => version?.ToString(CultureInfo.InvariantCulture);
}
