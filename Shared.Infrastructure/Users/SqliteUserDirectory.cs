using System.Globalization;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Users;

public sealed class SqliteUserDirectory(SqliteDatabase db) : IUserDirectory
{
    public Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => FindInstallation(c, tenantId, extensionId)));

    public Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (FindInstallation(w, tenantId, extensionId) is { } existing)
                {
                    return existing;
                }

                InsertUser(w, tenantId, candidate, contact, verified: null, now);
                InsertInstallation(w, tenantId, extensionId, candidate, now);
                return new InstallationLink(candidate, CreatedNow: true);
            },
            cancellationToken);

    public Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (FindInstallation(w, tenantId, extensionId) is { } existing)
                {
                    return existing;
                }

                var userId = candidate;
                if (w.Scalar(OwnerOfVerifiedEmailSql, ("$t", tenantId.Value), ("$e", verified.Value)) is string owner)
                {
                    userId = UserId.Parse(owner);
                }
                else
                {
                    InsertUser(w, tenantId, candidate, contact: null, verified, now);
                }

                InsertInstallation(w, tenantId, extensionId, userId, now);
                return new InstallationLink(userId, CreatedNow: true);
            },
            cancellationToken);

    public Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (w.Scalar(OwnerOfVerifiedEmailSql, ("$t", tenantId.Value), ("$e", verified.Value)) is string owner)
                {
                    return owner == userId.Value ? EmailClaim.AlreadyOwned : EmailClaim.OwnedByAnotherUser;
                }

                InsertUser(w, tenantId, userId, contact: null, verified: null, now); // self-healing: the user row may be missing
                return w.Execute(
                    "UPDATE users SET verified_email = $e WHERE tenant_id = $t AND user_id = $u AND verified_email IS NULL",
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$e", verified.Value)) == 1
                    ? EmailClaim.Claimed
                    : EmailClaim.UserHasAnotherEmail;
            },
            cancellationToken);

    public Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(c, null, OwnerOfVerifiedEmailSql, ("$t", tenantId.Value), ("$e", verified.Value)) is string owner ? UserId.Parse(owner) : (UserId?)null));

    public Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (w.Scalar(OwnerOfVerifiedEmailSql, ("$t", tenantId.Value), ("$e", verified.Value)) is string owner)
                {
                    return owner == userId.Value;
                }

                InsertUser(w, tenantId, userId, contact: null, verified: null, now);
                return w.Execute("UPDATE users SET verified_email = $e WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value), ("$e", verified.Value)) == 1;
            },
            cancellationToken);

    public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT verified_email, contact_email, role, created_at_ms, display_name FROM users WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            _ = RoleNames.TryParse(reader.GetString(2), out var role);
            return new UserAccount(tenantId, userId, ReadEmail(reader, 0), ReadEmail(reader, 1), role, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetString(4));
        }));

    /// <summary>One SELECT over the tenant's users with the distinct ids as parameters (at most <see cref="IUserDirectory.MaxDisplayNameBatch"/>).</summary>
    public Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var distinct = userIds.Distinct().ToList();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(distinct.Count, IUserDirectory.MaxDisplayNameBatch, nameof(userIds));
        if (distinct.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<UserId, string?>>(new Dictionary<UserId, string?>());
        }

        return Task.FromResult<IReadOnlyDictionary<UserId, string?>>(db.Read(c =>
        {
            var parameters = new List<(string, object?)>(distinct.Count + 1) { ("$t", tenantId.Value) };
            parameters.AddRange(distinct.Select((id, i) => ("$u" + i.ToString(CultureInfo.InvariantCulture), (object?)id.Value)));
            var names = string.Join(", ", parameters.Skip(1).Select(p => p.Item1));
            using var command = Command(c, null, $"SELECT user_id, display_name FROM users WHERE tenant_id = $t AND user_id IN ({names})", [.. parameters]);
            return ReadAll(command, r => (Id: UserId.Parse(r.GetString(0)), Name: r.IsDBNull(1) ? null : r.GetString(1))).ToDictionary(u => u.Id, u => u.Name);
        }));
    }

    public Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE users SET display_name = $n WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value), ("$n", displayName)) == 1,
            cancellationToken);

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(w => InsertUser(w, tenantId, userId, contact: null, verified: null, now), cancellationToken);

    private const string OwnerOfVerifiedEmailSql = "SELECT user_id FROM users WHERE tenant_id = $t AND verified_email = $e";

    // Contacts stored before schema 7 were written under the old, looser rule; one that no longer parses is left out.
    private static EmailAddress? ReadEmail(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : EmailAddress.TryParse(reader.GetString(ordinal), out var e) ? e : null;

    private static int InsertUser(SqliteWriter w, TenantId tenantId, UserId userId, EmailAddress? contact, EmailAddress? verified, DateTimeOffset now) =>
        w.Execute(
            "INSERT INTO users (tenant_id, user_id, contact_email, verified_email, role, created_at_ms) VALUES ($t, $u, $c, $v, $r, $now) ON CONFLICT (tenant_id, user_id) DO NOTHING",
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$c", contact?.Value),
            ("$v", verified?.Value),
            ("$r", Role.User.ToClaim()),
            ("$now", now.ToUnixTimeMilliseconds()));

    private static void InsertInstallation(SqliteWriter w, TenantId tenantId, ExtensionId extensionId, UserId userId, DateTimeOffset now) =>
        w.Execute(
            "INSERT INTO installations (tenant_id, extension_id, user_id, created_at_ms) VALUES ($t, $x, $u, $now)",
            ("$t", tenantId.Value),
            ("$x", extensionId.Value),
            ("$u", userId.Value),
            ("$now", now.ToUnixTimeMilliseconds()));

    private const string FindInstallationSql = "SELECT user_id FROM installations WHERE tenant_id = $t AND extension_id = $x";

    private static InstallationLink? FindInstallation(SqliteConnection c, TenantId tenantId, ExtensionId extensionId)
    {
        using var command = Command(c, null, FindInstallationSql, ("$t", tenantId.Value), ("$x", extensionId.Value));
        using var reader = command.ExecuteReader();
        return ReadLink(reader);
    }

    private static InstallationLink? FindInstallation(SqliteWriter w, TenantId tenantId, ExtensionId extensionId)
    {
        using var reader = w.Query(FindInstallationSql, ("$t", tenantId.Value), ("$x", extensionId.Value));
        return ReadLink(reader);
    }

    private static InstallationLink? ReadLink(SqliteDataReader reader) =>
        reader.Read() ? new InstallationLink(UserId.Parse(reader.GetString(0)), CreatedNow: false) : null;
}
