using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// Tombstones of erased users: recorded before a user's data is erased and kept for good, so nothing can recreate
/// personal data under the erased id afterwards (an identify from a cached installation link, a token still valid).
/// A tombstone names the user only by <see cref="ErasedUserKey"/> (a one-way digest of tenant and id), never by the id.
/// </summary>
public interface IErasureRegistry
{
    /// <summary>Records the tombstone; true when it is new, false when the user was already erased.</summary>
    Task<bool> TryRecordAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>True once the user's tombstone exists (a positive answer never changes, so callers may cache it).</summary>
    Task<bool> IsErasedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
