using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Invoices;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// Invoices in the embedded store. An issue is one unit of work on the single writer: look up the source (a replay
/// answers the invoice found), take the next number of the tenant's year sequence, store the invoice, with no other
/// write in between; so numbers are gapless and unique under any concurrency (the table's UNIQUE constraints on the
/// source and on (year, sequence) would refuse a bug instead of storing it).
/// </summary>
public sealed class SqliteInvoiceStore(SqliteDatabase db) : IInvoiceStore
{
    private const string Columns = "number, tenant_id, user_id, source_kind, source_reference, currency, net, tax_amount, total, tax_name, tax_rate_bp, seller_tax_id, lines_json, issued_at_ms, year, seq";

    public Task<(Invoice Invoice, bool Created)> IssueAsync(InvoiceDraft draft, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                using (var reader = w.Query($"SELECT {Columns} FROM invoices WHERE tenant_id = $t AND source_kind = $k AND source_reference = $r", ("$t", draft.TenantId), ("$k", InvoiceText.Format(draft.SourceKind)), ("$r", draft.SourceReference)))
                {
                    if (reader.Read())
                    {
                        return (Read(reader), false);
                    }
                }

                var year = draft.IssuedAt.Year;
                var next = Convert.ToInt64(w.Scalar("SELECT COALESCE(MAX(last), 0) + 1 FROM invoice_sequences WHERE tenant_id = $t AND year = $y", ("$t", draft.TenantId), ("$y", year)), System.Globalization.CultureInfo.InvariantCulture);
                w.Execute("INSERT INTO invoice_sequences (tenant_id, year, last) VALUES ($t, $y, $n) ON CONFLICT (tenant_id, year) DO UPDATE SET last = excluded.last", ("$t", draft.TenantId), ("$y", year), ("$n", next));
                var invoice = draft.Numbered(next);
                w.Execute(
                    $"INSERT INTO invoices ({Columns}, order_key) VALUES ($n, $t, $u, $k, $r, $c, $net, $tax, $total, $tn, $tr, $ts, $lines, $at, $y, $s, $o)",
                    ("$n", invoice.Number), ("$t", invoice.TenantId), ("$u", invoice.OwnerId), ("$k", InvoiceText.Format(invoice.SourceKind)), ("$r", invoice.SourceReference),
                    ("$c", invoice.Currency), ("$net", invoice.Net), ("$tax", invoice.TaxAmount), ("$total", invoice.Total), ("$tn", invoice.TaxName), ("$tr", invoice.TaxRateBasisPoints),
                    ("$ts", invoice.SellerTaxId), ("$lines", InvoiceJson.Lines(invoice.Lines)), ("$at", invoice.IssuedAt.ToUnixTimeMilliseconds()), ("$y", invoice.Year), ("$s", invoice.Sequence), ("$o", invoice.OrderKey));
                return (invoice, true);
            },
            cancellationToken);

    public Task<Invoice?> GetAsync(TenantId tenantId, string number, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM invoices WHERE tenant_id = $t AND number = $n", ("$t", tenantId.Value), ("$n", number));
            return ReadAll(command, Read).FirstOrDefault();
        }));

    public Task<IReadOnlyList<Invoice>> ListAsync(TenantId tenantId, UserId owner, string? beforeOrderKey, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Invoice>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM invoices WHERE tenant_id = $t AND user_id = $u AND order_key < $before ORDER BY order_key DESC LIMIT $n",
                ("$t", tenantId.Value), ("$u", owner.Value), ("$before", beforeOrderKey ?? "~"), ("$n", pageSize));
            return ReadAll(command, Read);
        }));

    private static Invoice Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        InvoiceText.Parse(r.GetString(3)),
        r.GetString(4),
        r.GetString(5),
        r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        r.GetInt32(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        InvoiceJson.Lines(r.GetString(12)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
        r.GetInt32(14),
        r.GetInt64(15));
}
