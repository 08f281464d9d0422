using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Sales;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.DataSharing;

public sealed class SqliteDataSharingSaleStore(SqliteDatabase db) : IDataSharingSaleStore
{
    public Task<(DataSharingSale Sale, bool Created)> CreateOrGetAsync(DataSharingSale sale, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var created = w.Execute(
                    "INSERT INTO data_sharing_sales (tenant_id, reference, day, amount_cents, currency, recorded_at_ms, contributors) VALUES ($t, $r, $d, $a, $c, $at, $n) ON CONFLICT (tenant_id, reference) DO NOTHING",
                    ("$t", sale.TenantId.Value),
                    ("$r", sale.Reference),
                    ("$d", sale.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    ("$a", sale.AmountCents),
                    ("$c", sale.Currency),
                    ("$at", sale.RecordedAt.ToUnixTimeMilliseconds()),
                    ("$n", sale.Contributors)) == 1;
                if (created)
                {
                    return (sale, true);
                }

                using var r = w.Query("SELECT day, amount_cents, currency, recorded_at_ms, contributors FROM data_sharing_sales WHERE tenant_id = $t AND reference = $r", ("$t", sale.TenantId.Value), ("$r", sale.Reference));
                return r.Read() ? (Read(sale.TenantId, sale.Reference, r), false) : throw new InvalidOperationException("A sale that conflicted on insert is missing.");
            },
            cancellationToken);

    public Task<DataSharingSale?> GetAsync(TenantId tenantId, string reference, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT day, amount_cents, currency, recorded_at_ms, contributors FROM data_sharing_sales WHERE tenant_id = $t AND reference = $r", ("$t", tenantId.Value), ("$r", reference));
            using var r = command.ExecuteReader();
            return r.Read() ? Read(tenantId, reference, r) : null;
        }));

    private static DataSharingSale Read(TenantId tenantId, string reference, Microsoft.Data.Sqlite.SqliteDataReader r) =>
        new(tenantId, reference, DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture), r.GetInt64(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)), r.GetInt32(4));
}
