using Shared.Domain.Audit;
using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>Appends accounts' security events to the audit log (never an email, phone, password, code or token in it).</summary>
public sealed class AccountAudit(IAuditLog log, TimeProvider time)
{
    public Task RecordAsync(TenantId tenantId, string action, UserId? actor, RequestOrigin origin, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? details = null) =>
        log.AppendAsync(new AuditEntry(tenantId, action, actor?.Value, actor?.Value, time.GetUtcNow(), origin.Address, origin.CorrelationId, details), cancellationToken);
}
