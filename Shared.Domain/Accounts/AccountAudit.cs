using Shared.Domain.Audit;
using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>Appends accounts' security events to the audit log (never an email, phone, password, code or token in it).</summary>
public sealed class AccountAudit(IAuditLog log, TimeProvider time)
{
    /// <summary>The actions an anonymous caller causes about an account: the account is their target, not their actor.</summary>
    private static readonly HashSet<string> AnonymousActions = [AuditActions.LoginFailed, AuditActions.Lockout, AuditActions.OtpFailed];

    /// <summary>
    /// Appends <paramref name="action"/> about <paramref name="account"/>. For failures caused by whoever typed the wrong
    /// password or code, the account is only the target (actor null): the entry's address is the attacker's, so it must
    /// not appear in the victim's export as theirs, nor be generalised away when the victim is erased.
    /// </summary>
    public Task RecordAsync(TenantId tenantId, string action, UserId? account, RequestOrigin origin, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? details = null) =>
        log.AppendAsync(new AuditEntry(tenantId, action, AnonymousActions.Contains(action) ? null : account?.Value, account?.Value, time.GetUtcNow(), origin.Address, origin.CorrelationId, details), cancellationToken);
}
