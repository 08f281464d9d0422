using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// One feature's data about one user, for the user's rights over it (GDPR articles 15, 17 and 20): every feature that
/// stores data about a user implements this once per store and registers it, so exporting or erasing a user is one loop
/// over all of them (<c>IEnumerable&lt;IPersonalDataStore&gt;</c>), never an edit of every store.
/// </summary>
public interface IPersonalDataStore
{
    /// <summary>The section's name in an export (stable, snake_case: <c>users</c>, <c>quotas</c>, <c>billing</c>…).</summary>
    string Section { get; }

    /// <summary>Everything this feature stores about the user, as plain data; an empty section when there is nothing.</summary>
    Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what this feature stores about the user, or de-identifies what must be kept (each implementation documents
    /// what it keeps and why). Other users' data stays as it is. Safe to repeat: a repeat, or a retry after a failure
    /// midway, finishes the work and then changes nothing. Returns the number of records removed or de-identified
    /// (0 when there was nothing left).
    /// </summary>
    Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
