using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.DataSharing;

public sealed class SqliteDataSharingStore(SqliteDatabase db) : IDataSharingStore
{
    public Task SetAsync(DataSharingPreference preference, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO data_sharing (tenant_id, user_id, opt_in, profit_split, updated_at_ms) VALUES ($t, $u, $o, $s, $at) ON CONFLICT (tenant_id, user_id) DO UPDATE SET opt_in = excluded.opt_in, profit_split = excluded.profit_split, updated_at_ms = excluded.updated_at_ms",
                ("$t", preference.TenantId.Value),
                ("$u", preference.UserId.Value),
                ("$o", preference.OptIn ? 1 : 0),
                ("$s", preference.ProfitSplit),
                ("$at", preference.UpdatedAt.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task<DataSharingPreference?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT opt_in, profit_split, updated_at_ms FROM data_sharing WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
            using var reader = command.ExecuteReader();
            return reader.Read() ? new DataSharingPreference(tenantId, userId, reader.GetInt64(0) == 1, reader.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))) : null;
        }));

    public Task<IReadOnlyList<UserId>> ListOptedInAsync(TenantId tenantId, UserId? after, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserId>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT user_id FROM data_sharing WHERE tenant_id = $t AND opt_in = 1 AND user_id > $after ORDER BY user_id LIMIT $max", ("$t", tenantId.Value), ("$after", after?.Value ?? ""), ("$max", max));
            return ReadAll(command, r => UserId.Parse(r.GetString(0)));
        }));
}
