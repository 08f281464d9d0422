using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Tenants;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Sqlite;

public sealed class SqliteTenantStore(SqliteDatabase db, TimeProvider time) : ITenantStore
{
    public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var json = (string?)Scalar(c, null, "SELECT doc FROM tenants WHERE tenant_id = $t", ("$t", id.Value));
            return json is null ? null : JsonSerializer.Deserialize<TenantDocument>(json, WireJson.Options)!.ToTenant();
        }));

    public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, tx) => Execute(
                c,
                tx,
                "INSERT INTO tenants (tenant_id, doc, updated_at_ms) VALUES ($t, $doc, $now) ON CONFLICT (tenant_id) DO UPDATE SET doc = excluded.doc, updated_at_ms = excluded.updated_at_ms",
                ("$t", tenant.Id.Value),
                ("$doc", JsonSerializer.Serialize(TenantDocument.From(tenant), WireJson.Options)),
                ("$now", time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);
}

public sealed class SqliteUserDirectory(SqliteDatabase db) : IUserDirectory
{
    public Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => FindInstallation(c, null, tenantId, extensionId)));

    public Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? email, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, tx) =>
            {
                if (FindInstallation(c, tx, tenantId, extensionId) is { } existing)
                {
                    return existing;
                }

                var userId = candidate;
                if (email is { } address && Scalar(c, tx, "SELECT user_id FROM users WHERE tenant_id = $t AND email = $e", ("$t", tenantId.Value), ("$e", address.Value)) is string owner)
                {
                    userId = UserId.Parse(owner);
                }
                else
                {
                    InsertUser(c, tx, tenantId, candidate, email, now);
                }

                Execute(
                    c,
                    tx,
                    "INSERT INTO installations (tenant_id, extension_id, user_id, email_settled, created_at_ms) VALUES ($t, $x, $u, $s, $now)",
                    ("$t", tenantId.Value),
                    ("$x", extensionId.Value),
                    ("$u", userId.Value),
                    ("$s", email is null ? 0 : 1),
                    ("$now", now.ToUnixTimeMilliseconds()));
                return new InstallationLink(userId, email is not null, CreatedNow: true);
            },
            cancellationToken);

    public Task<bool> LinkEmailAsync(TenantId tenantId, ExtensionId extensionId, UserId userId, EmailAddress email, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, tx) =>
            {
                Execute(c, tx, "UPDATE installations SET email_settled = 1 WHERE tenant_id = $t AND extension_id = $x", ("$t", tenantId.Value), ("$x", extensionId.Value));
                var ownerOfEmail = Scalar(c, tx, "SELECT user_id FROM users WHERE tenant_id = $t AND email = $e", ("$t", tenantId.Value), ("$e", email.Value));
                if (ownerOfEmail is not null)
                {
                    return false;
                }

                return Execute(
                    c,
                    tx,
                    "UPDATE users SET email = $e WHERE tenant_id = $t AND user_id = $u AND email IS NULL",
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$e", email.Value)) == 1;
            },
            cancellationToken);

    public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT email, role, created_at_ms FROM users WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            EmailAddress? email = reader.IsDBNull(0) ? null : EmailAddress.TryParse(reader.GetString(0), out var e) ? e : null;
            _ = RoleNames.TryParse(reader.GetString(1), out var role);
            return new UserAccount(tenantId, userId, email, role, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
        }));

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync((c, tx) => InsertUser(c, tx, tenantId, userId, null, now), cancellationToken);

    private static int InsertUser(SqliteConnection c, SqliteTransaction tx, TenantId tenantId, UserId userId, EmailAddress? email, DateTimeOffset now) =>
        Execute(
            c,
            tx,
            "INSERT INTO users (tenant_id, user_id, email, role, created_at_ms) VALUES ($t, $u, $e, $r, $now) ON CONFLICT (tenant_id, user_id) DO NOTHING",
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$e", email?.Value),
            ("$r", Role.User.ToClaim()),
            ("$now", now.ToUnixTimeMilliseconds()));

    private static InstallationLink? FindInstallation(SqliteConnection c, SqliteTransaction? tx, TenantId tenantId, ExtensionId extensionId)
    {
        using var command = Command(
            c,
            tx,
            "SELECT i.user_id, i.email_settled, u.email IS NOT NULL FROM installations i LEFT JOIN users u ON u.tenant_id = i.tenant_id AND u.user_id = i.user_id WHERE i.tenant_id = $t AND i.extension_id = $x",
            ("$t", tenantId.Value),
            ("$x", extensionId.Value));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new InstallationLink(UserId.Parse(reader.GetString(0)), reader.GetInt64(1) == 1 || reader.GetInt64(2) == 1, CreatedNow: false)
            : null;
    }
}

public sealed class SqliteQuotaStore(SqliteDatabase db) : IQuotaStore
{
    private const string Columns = "plan_id, hits_limit, reset_period, anchor_ms, period_start_ms, period_end_ms, used";

    public Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync((c, tx) => TryConsume(c, tx, tenantId, userId, key, now), cancellationToken);

    public Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, tx) => Execute(
                c,
                tx,
                $"INSERT INTO quotas (tenant_id, user_id, {Columns}) VALUES ($t, $u, $plan, $limit, $period, $anchor, $start, $end, $used) ON CONFLICT (tenant_id, user_id) DO NOTHING",
                [("$t", account.TenantId.Value), ("$u", account.UserId.Value), .. AccountParameters(account)]),
            cancellationToken);

    public Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Load(c, null, tenantId, userId)));

    private static ConsumeOutcome? TryConsume(SqliteConnection c, SqliteTransaction tx, TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now)
    {
        var keySeen = key is { } k && Scalar(c, tx, "SELECT 1 FROM quota_requests WHERE tenant_id = $t AND user_id = $u AND key_hash = $k", ("$t", tenantId.Value), ("$u", userId.Value), ("$k", k.Hash)) is not null;
        var nowMs = now.ToUnixTimeMilliseconds();
        if (!keySeen)
        {
            // The common case: one conditional increment. Its predicate is QuotaAccount.CanConsumeWithoutRollover.
            using var command = Command(
                c,
                tx,
                $"UPDATE quotas SET used = used + 1 WHERE tenant_id = $t AND user_id = $u AND period_start_ms <= $now AND period_end_ms > $now AND (hits_limit IS NULL OR used < hits_limit) RETURNING {Columns}",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$now", nowMs));
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                var account = Restore(reader, tenantId, userId, []);
                reader.Close();
                if (key is { } newKey)
                {
                    Execute(
                        c,
                        tx,
                        "INSERT INTO quota_requests (tenant_id, user_id, key_hash, at_ms, used_after) VALUES ($t, $u, $k, $now, $used)",
                        ("$t", tenantId.Value),
                        ("$u", userId.Value),
                        ("$k", newKey.Hash),
                        ("$now", nowMs),
                        ("$used", account.Used));
                }

                return new ConsumeOutcome(ConsumeKind.Allowed, account.StatusAt(now));
            }
        }

        // Rollover, exhaustion or a repeated key: decide in the domain, inside the same write transaction.
        var current = Load(c, tx, tenantId, userId);
        if (current is null)
        {
            return null;
        }

        var outcome = current.TryConsume(now, key);
        Execute(
            c,
            tx,
            "UPDATE quotas SET plan_id = $plan, hits_limit = $limit, reset_period = $period, anchor_ms = $anchor, period_start_ms = $start, period_end_ms = $end, used = $used WHERE tenant_id = $t AND user_id = $u",
            [("$t", tenantId.Value), ("$u", userId.Value), .. AccountParameters(current)]);
        Execute(
            c,
            tx,
            "DELETE FROM quota_requests WHERE tenant_id = $t AND user_id = $u AND at_ms <= $cutoff",
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$cutoff", (now - QuotaAccount.RequestKeyRetention).ToUnixTimeMilliseconds()));
        if (outcome.Kind == ConsumeKind.Allowed && key is { } recorded)
        {
            Execute(
                c,
                tx,
                "INSERT OR REPLACE INTO quota_requests (tenant_id, user_id, key_hash, at_ms, used_after) VALUES ($t, $u, $k, $now, $used)",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$k", recorded.Hash),
                ("$now", nowMs),
                ("$used", current.Used));
        }

        return outcome;
    }

    private static QuotaAccount? Load(SqliteConnection c, SqliteTransaction? tx, TenantId tenantId, UserId userId)
    {
        var recent = new List<KeyValuePair<string, RecordedUse>>();
        using (var requests = Command(c, tx, "SELECT key_hash, at_ms, used_after FROM quota_requests WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)))
        using (var reader = requests.ExecuteReader())
        {
            while (reader.Read())
            {
                recent.Add(new(reader.GetString(0), new RecordedUse(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt32(2))));
            }
        }

        using var command = Command(c, tx, $"SELECT {Columns} FROM quotas WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
        using var row = command.ExecuteReader();
        return row.Read() ? Restore(row, tenantId, userId, recent) : null;
    }

    private static QuotaAccount Restore(SqliteDataReader r, TenantId tenantId, UserId userId, IEnumerable<KeyValuePair<string, RecordedUse>> recent) =>
        QuotaAccount.Restore(
            tenantId,
            userId,
            PlanId.Parse(r.GetString(0)),
            new Allowance(r.IsDBNull(1) ? null : r.GetInt32(1), ResetPeriodText.Parse(r.GetString(2))),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
            new UsagePeriod(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            r.GetInt32(6),
            recent);

    private static (string, object?)[] AccountParameters(QuotaAccount a) =>
    [
        ("$plan", a.PlanId.Value),
        ("$limit", a.Allowance.Limit),
        ("$period", ResetPeriodText.Format(a.Allowance.Period)),
        ("$anchor", a.Anchor.ToUnixTimeMilliseconds()),
        ("$start", a.Period.Start.ToUnixTimeMilliseconds()),
        ("$end", a.Period.End.ToUnixTimeMilliseconds()),
        ("$used", a.Used),
    ];
}

public sealed class SqliteUsageLogStore(SqliteDatabase db) : IUsageLogStore
{
    public Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken) =>
        db.WriteAsync(
            (c, tx) =>
            {
                using var command = Command(c, tx, "INSERT INTO usage_log (tenant_id, user_id, action_type, outcome, at_ms) VALUES ($t, $u, $a, $o, $at)");
                var t = command.Parameters.Add("$t", SqliteType.Text);
                var u = command.Parameters.Add("$u", SqliteType.Text);
                var a = command.Parameters.Add("$a", SqliteType.Text);
                var o = command.Parameters.Add("$o", SqliteType.Text);
                var at = command.Parameters.Add("$at", SqliteType.Integer);
                foreach (var record in records)
                {
                    (t.Value, u.Value, a.Value, o.Value, at.Value) = (record.TenantId.Value, record.UserId.Value, record.ActionType, ConsumeKindText.Format(record.Outcome), record.At.ToUnixTimeMilliseconds());
                    command.ExecuteNonQuery();
                }

                return records.Count;
            },
            cancellationToken);

    public Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UsageRecord>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT action_type, outcome, at_ms FROM usage_log WHERE tenant_id = $t AND user_id = $u ORDER BY at_ms DESC, id DESC LIMIT $max",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$max", max));
            using var reader = command.ExecuteReader();
            var list = new List<UsageRecord>();
            while (reader.Read())
            {
                list.Add(new UsageRecord(tenantId, userId, reader.GetString(0), ConsumeKindText.Parse(reader.GetString(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }

            return list;
        }));
}
