using Microsoft.Data.Sqlite;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Admin;

/// <summary>Admin reads over the <c>users</c> and <c>installations</c> tables (the users feature's schema), by primary-key order.</summary>
public sealed class SqliteAdminUserSearch(SqliteDatabase db) : IAdminUserSearch
{
    public Task<IReadOnlyList<AdminUserSummary>> SearchAsync(TenantId tenantId, string emailPrefix, UserId? after, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AdminUserSummary>>(db.Read(c =>
        {
            // substr(..) = prefix rather than LIKE: the prefix is data, and LIKE would treat % and _ in it as wildcards.
            using var command = Command(
                c,
                null,
                """
                SELECT user_id, verified_email, contact_email, created_at_ms FROM users
                WHERE tenant_id = $t AND user_id > $after
                  AND ($p = '' OR substr(verified_email, 1, length($p)) = $p OR substr(contact_email, 1, length($p)) = $p)
                ORDER BY user_id LIMIT $max
                """,
                ("$t", tenantId.Value),
                ("$after", after?.Value ?? ""),
                ("$p", emailPrefix),
                ("$max", max));
            return ReadAll(command, r => new AdminUserSummary(UserId.Parse(r.GetString(0)), ReadEmail(r, 1), ReadEmail(r, 2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        }));

    public Task<int> CountInstallationsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Convert.ToInt32(Scalar(c, null, "SELECT COUNT(*) FROM installations WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)), System.Globalization.CultureInfo.InvariantCulture)));

    private static EmailAddress? ReadEmail(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : EmailAddress.TryParse(reader.GetString(ordinal), out var e) ? e : null;
}
