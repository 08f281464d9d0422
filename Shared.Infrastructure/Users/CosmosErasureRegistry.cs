using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Users;

/// <summary>
/// Tombstones as lookup documents (in <c>lookups</c>) whose key is <see cref="ErasedUserKey"/>: one point read to check,
/// a create that fails on conflict to record. They hold no user id; nothing about the user can be read from them.
/// </summary>
public sealed class CosmosErasureRegistry(CosmosDatabase db) : IErasureRegistry
{
    private readonly Microsoft.Azure.Cosmos.Container _lookups = db.Container(CosmosContainers.Lookups);

    public Task<bool> TryRecordAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = ErasedUserKey.Of(tenantId, userId);
        var tombstone = new ErasureDocument { Id = key, TenantId = tenantId.Value, LookupKey = key, ErasedAtMs = at.ToUnixTimeMilliseconds() };
        return _lookups.TryCreateAsync(tombstone, Keys.Lookup(tenantId, key), cancellationToken);
    }

    public async Task<bool> IsErasedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var key = ErasedUserKey.Of(tenantId, userId);
        var (tombstone, _) = await _lookups.ReadAsync<ErasureDocument>(key, Keys.Lookup(tenantId, key), cancellationToken);
        return tombstone is not null;
    }
}
