using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// Later changes to the marketplace's sales tables (created by <c>marketplace.2-purchases-entitlements-earnings</c>),
/// under their own feature name so they never take a number the catalog's own migrations need.
/// </summary>
public static class MarketplaceSalesSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        // Partial refunds: the cumulative refunded amount. A purchase refunded before this was refunded whole (any refund
        // took the item back and reversed the whole share), so it counts as refunded in full. Checks the column first: a
        // file without a migration ledger (the user_version ladder) runs every later migration again and may have it.
        SqliteMigration.Code(
            "marketplace-sales.1-partial-refunds",
            (connection, transaction) =>
            {
                if (SqliteMigration.AddColumnIfMissing(connection, transaction, "marketplace_purchases", "refunded_cents", "INTEGER NOT NULL DEFAULT 0"))
                {
                    SqliteDatabase.Execute(connection, transaction, "UPDATE marketplace_purchases SET refunded_cents = price_cents WHERE refunded_at_ms IS NOT NULL;");
                }

                SqliteDatabase.Execute(connection, transaction, "CREATE INDEX IF NOT EXISTS marketplace_purchases_by_buyer ON marketplace_purchases (tenant_id, item_id, buyer_id);");
            },
            after: ["marketplace.2-purchases-entitlements-earnings"]),
    ];
}
