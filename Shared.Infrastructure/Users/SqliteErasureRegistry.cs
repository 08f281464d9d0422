using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Tombstones in <c>erased_users</c>, keyed by <see cref="ErasedUserKey"/> (never the user id).</summary>
public sealed class SqliteErasureRegistry(SqliteDatabase db) : IErasureRegistry
{
    public Task<bool> TryRecordAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO erased_users (tenant_id, user_key, erased_at_ms) VALUES ($t, $k, $at) ON CONFLICT (tenant_id, user_key) DO NOTHING",
                ("$t", tenantId.Value),
                ("$k", ErasedUserKey.Of(tenantId, userId)),
                ("$at", at.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<bool> IsErasedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => SqliteDatabase.Scalar(c, null, "SELECT 1 FROM erased_users WHERE tenant_id = $t AND user_key = $k", ("$t", tenantId.Value), ("$k", ErasedUserKey.Of(tenantId, userId))) is not null));
}
