using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Notifications;

/// <summary>Registered FCM tokens in the embedded store, at most <see cref="PushDevices.MaxPerUser"/> per user.</summary>
public sealed class SqlitePushDeviceStore(SqliteDatabase db) : IPushDeviceStore
{
    public Task RegisterAsync(TenantId tenantId, UserId userId, string fcmToken, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute(
                    "INSERT INTO push_devices (tenant_id, user_id, fcm_token, registered_at_ms) VALUES ($t, $u, $tok, $at) ON CONFLICT (tenant_id, user_id, fcm_token) DO UPDATE SET registered_at_ms = excluded.registered_at_ms",
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$tok", fcmToken),
                    ("$at", at.ToUnixTimeMilliseconds()));
                return w.Execute(
                    """
                    DELETE FROM push_devices WHERE tenant_id = $t AND user_id = $u AND fcm_token NOT IN (
                        SELECT fcm_token FROM push_devices WHERE tenant_id = $t AND user_id = $u ORDER BY registered_at_ms DESC, fcm_token DESC LIMIT $max)
                    """,
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$max", PushDevices.MaxPerUser));
            },
            cancellationToken);

    public Task<bool> RemoveAsync(TenantId tenantId, UserId userId, string fcmToken, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("DELETE FROM push_devices WHERE tenant_id = $t AND user_id = $u AND fcm_token = $tok", ("$t", tenantId.Value), ("$u", userId.Value), ("$tok", fcmToken)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT fcm_token FROM push_devices WHERE tenant_id = $t AND user_id = $u ORDER BY registered_at_ms DESC, fcm_token DESC", ("$t", tenantId.Value), ("$u", userId.Value));
            return ReadAll(command, r => r.GetString(0));
        }));
}
