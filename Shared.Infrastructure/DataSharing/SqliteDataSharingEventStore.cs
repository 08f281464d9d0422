using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.DataSharing;

public sealed class SqliteDataSharingEventStore(SqliteDatabase db) : IDataSharingEventStore
{
    public Task AddAsync(TenantId tenantId, IReadOnlyList<DataSharingEvent> events, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => // runs inside the writer's transaction: all rows or none
            {
                foreach (var e in events)
                {
                    w.Execute(
                        "INSERT INTO data_sharing_events (tenant_id, user_id, site, kind, at_ms) VALUES ($t, $u, $s, $k, $at)",
                        ("$t", tenantId.Value),
                        ("$u", e.UserId.Value),
                        ("$s", e.Site.Value),
                        ("$k", DataSharingEventKinds.Name(e.Kind)),
                        ("$at", e.At.ToUnixTimeMilliseconds()));
                }

                return events.Count;
            },
            cancellationToken);

    public Task<IReadOnlyList<DataSharingEvent>> ListDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var (from, to) = Bounds(day);
        return Task.FromResult<IReadOnlyList<DataSharingEvent>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT user_id, site, kind, at_ms FROM data_sharing_events WHERE tenant_id = $t AND at_ms >= $from AND at_ms < $to", ("$t", tenantId.Value), ("$from", from), ("$to", to));
            return ReadAll(command, r => new DataSharingEvent(UserId.Parse(r.GetString(0)), RegistrableDomain.Parse(r.GetString(1)), DataSharingEventKinds.Parse(r.GetString(2)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        }));
    }

    public Task<int> DeleteDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var (from, to) = Bounds(day);
        return db.WriteAsync(w => w.Execute("DELETE FROM data_sharing_events WHERE tenant_id = $t AND at_ms >= $from AND at_ms < $to", ("$t", tenantId.Value), ("$from", from), ("$to", to)), cancellationToken);
    }

    public Task<int> DeleteUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        db.WriteAsync(w => w.Execute("DELETE FROM data_sharing_events WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)), cancellationToken);

    public Task<int> DeleteBeforeAsync(TenantId tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        db.WriteAsync(w => w.Execute("DELETE FROM data_sharing_events WHERE tenant_id = $t AND at_ms < $cutoff", ("$t", tenantId.Value), ("$cutoff", cutoff.ToUnixTimeMilliseconds())), cancellationToken);

    private static (long From, long To) Bounds(DateOnly day)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return (from.ToUnixTimeMilliseconds(), from.AddDays(1).ToUnixTimeMilliseconds());
    }
}
