using System.Globalization;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.DataSharing;

public sealed class SqliteDataSharingReleaseStore(SqliteDatabase db) : IDataSharingReleaseStore
{
    public Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DataSharingReleaseRecord>>(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {ReleaseColumns} FROM data_sharing_releases WHERE tenant_id = $t ORDER BY day", ("$t", tenantId.Value));
            return ReadAll(command, r => ReadRelease(tenantId, r));
        }));

    public Task<DataSharingReleaseRecord?> FindAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {ReleaseColumns} FROM data_sharing_releases WHERE tenant_id = $t AND day = $d", ("$t", tenantId.Value), ("$d", Text(day)));
            return ReadAll(command, r => ReadRelease(tenantId, r)).SingleOrDefault();
        }));

    private const string ReleaseColumns = "day, release_id, epsilon, delta, rows, blob, rows_file, manifest_file, created_at_ms, exported_at_ms";

    private static DataSharingReleaseRecord ReadRelease(TenantId tenantId, SqliteDataReader r) => new(
        tenantId,
        DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.GetString(1),
        decimal.Parse(r.GetString(2), CultureInfo.InvariantCulture),
        decimal.Parse(r.GetString(3), CultureInfo.InvariantCulture),
        r.GetInt32(4),
        r.GetString(5),
        (byte[])r.GetValue(6),
        (byte[])r.GetValue(7),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)));

    public Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO data_sharing_releases (tenant_id, day, release_id, epsilon, delta, rows, blob, rows_file, manifest_file, created_at_ms, exported_at_ms) VALUES ($t, $d, $id, $e, $dl, $r, $b, $rf, $mf, $c, $x) ON CONFLICT (tenant_id, day) DO NOTHING",
                ("$t", release.TenantId.Value),
                ("$d", Text(release.Day)),
                ("$id", release.ReleaseId),
                ("$e", release.Epsilon.ToString(CultureInfo.InvariantCulture)),
                ("$dl", release.Delta.ToString(CultureInfo.InvariantCulture)),
                ("$r", release.Rows),
                ("$b", release.Blob),
                ("$rf", release.RowsFile),
                ("$mf", release.ManifestFile),
                ("$c", release.CreatedAt.ToUnixTimeMilliseconds()),
                ("$x", release.ExportedAt?.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    /// <summary>One write on the single writer: the month's ledger is read and the reservation written in the same transaction.</summary>
    public Task<Result<PrivacyLedger>> ReserveAsync(BudgetReservation reservation, PrivacySpend monthlyBudget, CancellationToken cancellationToken) =>
        db.WriteAsync<Result<PrivacyLedger>>(
            w =>
            {
                var tenant = reservation.TenantId;
                var month = reservation.Day.ToString("yyyy-MM-", CultureInfo.InvariantCulture) + "%";
                var released = new List<PrivacyLedgerEntry>();
                using (var r = w.Query("SELECT day, release_id, epsilon, delta FROM data_sharing_releases WHERE tenant_id = $t AND day LIKE $m", ("$t", tenant.Value), ("$m", month)))
                {
                    while (r.Read())
                    {
                        released.Add(new PrivacyLedgerEntry(r.GetString(1), Day(r.GetString(0)), new PrivacySpend(Number(r.GetString(2)), Number(r.GetString(3)))));
                    }
                }

                var reserved = new List<BudgetReservation>();
                using (var r = w.Query("SELECT day, epsilon, delta, run_id, reserved_at_ms FROM data_sharing_budget_reservations WHERE tenant_id = $t AND day LIKE $m", ("$t", tenant.Value), ("$m", month)))
                {
                    while (r.Read())
                    {
                        reserved.Add(new BudgetReservation(tenant, Day(r.GetString(0)), new PrivacySpend(Number(r.GetString(1)), Number(r.GetString(2))), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
                    }
                }

                var decided = BudgetReservations.Decide(reservation, reserved, released, monthlyBudget);
                if (!decided.IsSuccess)
                {
                    return decided.Error!;
                }

                if (decided.Value.Outcome != BudgetReservationOutcome.Held)
                {
                    w.Execute(
                        "INSERT INTO data_sharing_budget_reservations (tenant_id, day, epsilon, delta, run_id, reserved_at_ms) VALUES ($t, $d, $e, $dl, $run, $at) ON CONFLICT (tenant_id, day) DO UPDATE SET epsilon = excluded.epsilon, delta = excluded.delta, run_id = excluded.run_id, reserved_at_ms = excluded.reserved_at_ms",
                        ("$t", tenant.Value),
                        ("$d", Text(reservation.Day)),
                        ("$e", reservation.Spend.Epsilon.ToString(CultureInfo.InvariantCulture)),
                        ("$dl", reservation.Spend.Delta.ToString(CultureInfo.InvariantCulture)),
                        ("$run", reservation.RunId),
                        ("$at", reservation.ReservedAt.ToUnixTimeMilliseconds()));
                }

                return decided.Value.LedgerBefore;
            },
            cancellationToken);

    public Task<bool> CancelReservationAsync(TenantId tenantId, DateOnly day, string runId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("DELETE FROM data_sharing_budget_reservations WHERE tenant_id = $t AND day = $d AND run_id = $run", ("$t", tenantId.Value), ("$d", Text(day)), ("$run", runId)) == 1,
            cancellationToken);

    public Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE data_sharing_releases SET exported_at_ms = $x WHERE tenant_id = $t AND day = $d AND exported_at_ms IS NULL", ("$t", tenantId.Value), ("$d", Text(day)), ("$x", exportedAt.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => // runs inside the writer's transaction: all rows or none
            {
                foreach (var user in users)
                {
                    w.Execute("INSERT INTO data_sharing_contributions (tenant_id, user_id, day) VALUES ($t, $u, $d) ON CONFLICT DO NOTHING", ("$t", tenantId.Value), ("$u", user.Value), ("$d", Text(day)));
                }

                return users.Count;
            },
            cancellationToken);

    public Task<IReadOnlyList<UserId>> ListContributorsAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserId>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT user_id FROM data_sharing_contributions WHERE tenant_id = $t AND day = $d ORDER BY user_id", ("$t", tenantId.Value), ("$d", Text(day)));
            return ReadAll(command, r => UserId.Parse(r.GetString(0)));
        }));

    public Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Convert.ToInt32(Scalar(c, null, "SELECT COUNT(*) FROM data_sharing_contributions WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)), CultureInfo.InvariantCulture)));

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal Number(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
