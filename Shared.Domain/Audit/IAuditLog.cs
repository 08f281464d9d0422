using Shared.Domain.Common;

namespace Shared.Domain.Audit;

/// <summary>The tenant's append-only audit log (SQLite table / Cosmos container partitioned by tenant).</summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="entry"/>. Throws when the store cannot write it: an action that must be audited fails rather than going unrecorded.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The tenant's entries, newest first, one page at a time (<paramref name="continuation"/> is opaque; null for the first page).</summary>
    Task<AuditPage> ListAsync(TenantId tenantId, string? continuation, int pageSize, CancellationToken cancellationToken);
}
