using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Quotas;

public sealed class SqliteQuotaStore(SqliteDatabase db) : IQuotaStore
{
    private const string Columns = "plan_id, hits_limit, reset_period, anchor_ms, period_start_ms, period_end_ms, used, bonus_uses";

    public Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(w => TryConsume(w, tenantId, userId, key, now), cancellationToken);

    public Task<ReserveOutcome?> TryReserveAsync(TenantId tenantId, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                // The single writer's transaction makes the in-flight count and the use one atomic decision.
                var account = Load(new WriterQueries(w), tenantId, userId);
                if (account is null)
                {
                    return null;
                }

                var periodBefore = account.Period;
                var outcome = account.TryReserve(now, key, limit);
                if (outcome.Kind == ReserveKind.Reserved || account.Period != periodBefore)
                {
                    Save(w, account);
                }

                if (outcome.Kind == ReserveKind.Reserved)
                {
                    RecordKey(w, tenantId, userId, key, now, account.Used);
                }

                return (ReserveOutcome?)outcome;
            },
            cancellationToken);

    public Task<bool> SettleAsync(TenantId tenantId, UserId userId, RequestKey key, CancellationToken cancellationToken)
    {
        RequireReservation(key);
        return db.WriteAsync(
            w => w.Execute(
                "UPDATE quota_requests SET settled = 1 WHERE tenant_id = $t AND user_id = $u AND key_hash = $k AND released = 0 AND settled = 0",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$k", key.Hash)) == 1,
            cancellationToken);
    }

    public Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO quotas (tenant_id, user_id, {Columns}) VALUES ($t, $u, $plan, $limit, $period, $anchor, $start, $end, $used, $bonus) ON CONFLICT (tenant_id, user_id) DO NOTHING",
                [("$t", account.TenantId.Value), ("$u", account.UserId.Value), .. AccountParameters(account)]),
            cancellationToken);

    public Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Load(new ReadQueries(c), tenantId, userId)));

    public Task<bool> ChangePlanAsync(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var account = Load(new WriterQueries(w), tenantId, userId);
                if (account is null)
                {
                    return false;
                }

                if (account.ChangePlan(planId, allowance, anchor, now))
                {
                    Save(w, account);
                }

                return true;
            },
            cancellationToken);

    public Task<ReleaseOutcome> ReleaseAsync(TenantId tenantId, UserId userId, RequestKey key, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var account = Load(new WriterQueries(w), tenantId, userId);
                if (account is null)
                {
                    return ReleaseOutcome.Unknown;
                }

                var outcome = account.Release(key, now);
                if (outcome is ReleaseOutcome.Released or ReleaseOutcome.PeriodEnded)
                {
                    // PeriodEnded gives nothing back but ends the reservation all the same (it leaves the in-flight count).
                    Save(w, account);
                    w.Execute("UPDATE quota_requests SET released = 1 WHERE tenant_id = $t AND user_id = $u AND key_hash = $k", ("$t", tenantId.Value), ("$u", userId.Value), ("$k", key.Hash));
                }

                return outcome;
            },
            cancellationToken);

    public Task<IReadOnlyList<UserId>> ListEndedPeriodsAsync(TenantId tenantId, DateTimeOffset now, UserId? after, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserId>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                "SELECT user_id FROM quotas WHERE tenant_id = $t AND period_end_ms <= $now AND user_id > $after ORDER BY user_id LIMIT $max",
                ("$t", tenantId.Value),
                ("$now", now.ToUnixTimeMilliseconds()),
                ("$after", after?.Value ?? ""),
                ("$max", max));
            return ReadAll(command, r => UserId.Parse(r.GetString(0)));
        }));

    public Task<UsageArchiveEntry?> RollOverAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var account = Load(new WriterQueries(w), tenantId, userId);
                if (account?.RollOver(now) is not { } ended)
                {
                    return null;
                }

                // Archive and reset in one transaction: a period is archived exactly once.
                w.Execute(
                    "INSERT INTO usage_archive (tenant_id, user_id, period_start_ms, period_end_ms, plan_id, used) VALUES ($t, $u, $start, $end, $plan, $used) ON CONFLICT DO NOTHING",
                    ("$t", tenantId.Value),
                    ("$u", userId.Value),
                    ("$start", ended.Ended.Start.ToUnixTimeMilliseconds()),
                    ("$end", ended.Ended.End.ToUnixTimeMilliseconds()),
                    ("$plan", account.PlanId.Value),
                    ("$used", ended.Used));
                Save(w, account);
                return new UsageArchiveEntry(tenantId, userId, account.PlanId, ended.Ended, ended.Used);
            },
            cancellationToken);

    public Task<bool> GrantBonusAsync(TenantId tenantId, UserId userId, string grantKey, int uses, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(uses);
        return db.WriteAsync(
            w =>
            {
                // The grant's key and the bonus in one transaction: a grant counts once, however often it is applied.
                if (w.Scalar("SELECT 1 FROM quotas WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)) is null
                    || w.Execute("INSERT INTO quota_grants (tenant_id, user_id, grant_key) VALUES ($t, $u, $k) ON CONFLICT DO NOTHING", ("$t", tenantId.Value), ("$u", userId.Value), ("$k", grantKey)) == 0)
                {
                    return false;
                }

                w.Execute("UPDATE quotas SET bonus_uses = bonus_uses + $n WHERE tenant_id = $t AND user_id = $u", ("$n", uses), ("$t", tenantId.Value), ("$u", userId.Value));
                return true;
            },
            cancellationToken);
    }

    private static void Save(SqliteWriter w, QuotaAccount account) =>
        w.Execute(
            "UPDATE quotas SET plan_id = $plan, hits_limit = $limit, reset_period = $period, anchor_ms = $anchor, period_start_ms = $start, period_end_ms = $end, used = $used, bonus_uses = $bonus WHERE tenant_id = $t AND user_id = $u",
            [("$t", account.TenantId.Value), ("$u", account.UserId.Value), .. AccountParameters(account)]);

    private static ConsumeOutcome? TryConsume(SqliteWriter w, TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now)
    {
        if (key is { Kind: not RequestKeyKind.Identify })
        {
            throw new ArgumentException("Only identify keys are consumed this way; reservations use TryReserveAsync.", nameof(key));
        }

        var keySeen = key is { } k && w.Scalar("SELECT 1 FROM quota_requests WHERE tenant_id = $t AND user_id = $u AND key_hash = $k", ("$t", tenantId.Value), ("$u", userId.Value), ("$k", k.Hash)) is not null;
        var nowMs = now.ToUnixTimeMilliseconds();
        if (!keySeen)
        {
            // The common case: one conditional increment. Its predicate is QuotaAccount.CanConsumeWithoutRollover.
            using var reader = w.Query(
                $"UPDATE quotas SET used = used + 1 WHERE tenant_id = $t AND user_id = $u AND period_start_ms <= $now AND period_end_ms > $now AND (hits_limit IS NULL OR used < hits_limit + bonus_uses) RETURNING {Columns}",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$now", nowMs));
            if (reader.Read())
            {
                var account = Restore(reader, tenantId, userId, []);
                reader.Close();
                if (key is { } newKey)
                {
                    RecordKey(w, tenantId, userId, newKey, now, account.Used);
                }

                return new ConsumeOutcome(ConsumeKind.Allowed, account.StatusAt(now));
            }
        }

        // Rollover, exhaustion or a repeated key: decide in the domain, inside the same write transaction.
        var current = Load(new WriterQueries(w), tenantId, userId);
        if (current is null)
        {
            return null;
        }

        var periodBefore = current.Period;
        var outcome = current.TryConsume(now, key);
        if (outcome.Kind == ConsumeKind.Replayed || (outcome.Kind == ConsumeKind.Denied && current.Period == periodBefore))
        {
            return outcome; // nothing changed
        }

        Save(w, current);
        if (outcome.Kind == ConsumeKind.Allowed && key is { } recorded)
        {
            RecordKey(w, tenantId, userId, recorded, now, current.Used);
        }

        return outcome;
    }

    /// <summary>
    /// Records (or re-records: a key from an earlier period is new in this one) a use under <paramref name="key"/>, then
    /// keeps the user's key memory as <see cref="QuotaAccount.ForgetOldKeys"/> does: keys past the retention window go,
    /// and beyond <see cref="QuotaAccount.MaxRememberedKeys"/> the oldest go, reservations still held last.
    /// </summary>
    private static void RecordKey(SqliteWriter w, TenantId tenantId, UserId userId, RequestKey key, DateTimeOffset now, int usedAfter)
    {
        w.Execute(
            "INSERT OR REPLACE INTO quota_requests (tenant_id, user_id, key_hash, at_ms, used_after, released, settled) VALUES ($t, $u, $k, $now, $used, 0, 0)",
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$k", key.Hash),
            ("$now", now.ToUnixTimeMilliseconds()),
            ("$used", usedAfter));
        w.Execute(
            """
            DELETE FROM quota_requests WHERE tenant_id = $t AND user_id = $u AND (at_ms <= $cutoff OR key_hash IN (
                SELECT key_hash FROM quota_requests WHERE tenant_id = $t AND user_id = $u AND at_ms > $cutoff
                ORDER BY (substr(key_hash, 1, 1) = 'r' AND released = 0 AND settled = 0) DESC, at_ms DESC
                LIMIT -1 OFFSET $max))
            """,
            ("$t", tenantId.Value),
            ("$u", userId.Value),
            ("$cutoff", (now - QuotaAccount.RequestKeyRetention).ToUnixTimeMilliseconds()),
            ("$max", QuotaAccount.MaxRememberedKeys));
    }

    private static void RequireReservation(RequestKey key)
    {
        if (key.Kind != RequestKeyKind.Reservation)
        {
            throw new ArgumentException("Only reservation keys can be settled or released.", nameof(key));
        }
    }

    private static QuotaAccount? Load(IQueries q, TenantId tenantId, UserId userId)
    {
        var recent = new List<KeyValuePair<string, RecordedOperation<int>>>();
        using (var reader = q.Query("SELECT key_hash, at_ms, used_after, released, settled FROM quota_requests WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value)))
        {
            while (reader.Read())
            {
                recent.Add(new(reader.GetString(0), new RecordedOperation<int>(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt32(2), reader.GetInt64(3) == 1, reader.GetInt64(4) == 1)));
            }
        }

        using var row = q.Query($"SELECT {Columns} FROM quotas WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
        return row.Read() ? Restore(row, tenantId, userId, recent) : null;
    }

    /// <summary>Loading runs on the writer (inside its transaction) or on a read connection.</summary>
    private interface IQueries
    {
        SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters);
    }

    private sealed class WriterQueries(SqliteWriter writer) : IQueries
    {
        public SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) => writer.Query(sql, parameters);
    }

    /// <summary>Commands on a read connection, disposed with their readers.</summary>
    private sealed class ReadQueries(SqliteConnection connection) : IQueries
    {
        public SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) =>
            Command(connection, null, sql, parameters).ExecuteReader(System.Data.CommandBehavior.Default);
    }

    private static QuotaAccount Restore(SqliteDataReader r, TenantId tenantId, UserId userId, IEnumerable<KeyValuePair<string, RecordedOperation<int>>> recent) =>
        QuotaAccount.Restore(
            tenantId,
            userId,
            PlanId.Parse(r.GetString(0)),
            new Allowance(r.IsDBNull(1) ? null : r.GetInt32(1), ResetPeriodText.Parse(r.GetString(2))),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
            new UsagePeriod(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            r.GetInt32(6),
            recent,
            r.GetInt32(7));

    private static (string, object?)[] AccountParameters(QuotaAccount a) =>
    [
        ("$plan", a.PlanId.Value),
        ("$limit", a.Allowance.Limit),
        ("$period", ResetPeriodText.Format(a.Allowance.Period)),
        ("$anchor", a.Anchor.ToUnixTimeMilliseconds()),
        ("$start", a.Period.Start.ToUnixTimeMilliseconds()),
        ("$end", a.Period.End.ToUnixTimeMilliseconds()),
        ("$used", a.Used),
        ("$bonus", a.BonusUses),
    ];
}
