using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Reads accounts' <c>phones</c> table (a row is written only when the user proved the number by OTP; indexed by user),
/// read-only: accounts own it, and erase it with the user.
/// </summary>
public sealed class SqliteVerifiedPhoneDirectory(SqliteDatabase db) : IVerifiedPhoneDirectory
{
    public Task<PhoneNumber?> FindAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
            Scalar(c, null, "SELECT phone FROM phones WHERE tenant_id = $t AND user_id = $u ORDER BY created_at_ms DESC, phone DESC LIMIT 1", ("$t", tenantId.Value), ("$u", userId.Value)) is string stored
                && PhoneNumber.TryParse(stored, out var phone)
                ? phone
                : null));
}
