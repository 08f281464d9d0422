using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Invoices;

/// <summary>Invoices' SQLite schema, one migration per change (never edited once released).</summary>
public static class InvoiceSqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        SqliteMigration.Sql(
            "invoices.1-invoices-sequences",
            """
            CREATE TABLE IF NOT EXISTS invoice_sequences (
                tenant_id TEXT NOT NULL,
                year INTEGER NOT NULL,
                last INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, year)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS invoices (
                tenant_id TEXT NOT NULL,
                number TEXT NOT NULL,
                user_id TEXT NOT NULL,
                source_kind TEXT NOT NULL,
                source_reference TEXT NOT NULL,
                currency TEXT NOT NULL,
                net INTEGER NOT NULL,
                tax_amount INTEGER NOT NULL,
                total INTEGER NOT NULL CHECK (total = net + tax_amount),
                tax_name TEXT,
                tax_rate_bp INTEGER NOT NULL,
                seller_tax_id TEXT,
                lines_json TEXT NOT NULL,
                issued_at_ms INTEGER NOT NULL,
                year INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                order_key TEXT NOT NULL,
                PRIMARY KEY (tenant_id, number),
                UNIQUE (tenant_id, source_kind, source_reference),
                UNIQUE (tenant_id, year, seq)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS invoices_by_owner ON invoices (tenant_id, user_id, order_key);
            """),
    ];
}
