using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// A user's installations from the users feature's <c>installations</c> table, by link time, read through its
/// (tenant_id, user_id) index (users.5), each shown by the id the Cosmos store shows (<see cref="CosmosLinkedInstallations.IdOf"/>).
/// </summary>
public sealed class SqliteLinkedInstallations(SqliteDatabase db) : ILinkedInstallations
{
    public const string ListSql = "SELECT extension_id, created_at_ms FROM installations WHERE tenant_id = $t AND user_id = $u ORDER BY created_at_ms, extension_id LIMIT $max";

    public Task<IReadOnlyList<LinkedInstallation>> ListAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LinkedInstallation>>(db.Read(c =>
        {
            using var command = Command(c, null, ListSql, ("$t", tenantId.Value), ("$u", userId.Value), ("$max", max));
            // A row whose extension id no longer parses (written under an older rule) has no id to show and is left out.
            return ReadAll(command, r => (Raw: r.GetString(0), At: r.GetInt64(1)))
                .SelectMany(x => ExtensionId.TryParse(x.Raw, out var id) ? [new LinkedInstallation(CosmosLinkedInstallations.IdOf(id.Value), DateTimeOffset.FromUnixTimeMilliseconds(x.At))] : Array.Empty<LinkedInstallation>())
                .ToList();
        }));
}
