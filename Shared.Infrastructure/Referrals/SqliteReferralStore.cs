using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Referrals;

public sealed class SqliteReferralStore(SqliteDatabase db) : IReferralStore
{
    private const string Columns = "referred_id, referrer_id, status, created_at_ms, confirmed_at_ms, rewarded_at_ms";

    public Task<bool> TryCreateAsync(Referral referral, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO referrals (tenant_id, {Columns}) VALUES ($t, $referred, $referrer, $status, $created, NULL, NULL) ON CONFLICT DO NOTHING",
                ("$t", referral.TenantId.Value),
                ("$referred", referral.ReferredId.Value),
                ("$referrer", referral.ReferrerId.Value),
                ("$status", ReferralText.Format(referral.Status)),
                ("$created", referral.CreatedAt.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<Referral?> GetAsync(TenantId tenantId, UserId referredId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM referrals WHERE tenant_id = $t AND referred_id = $u", ("$t", tenantId.Value), ("$u", referredId.Value));
            return ReadAll(command, r => Read(r, tenantId)).FirstOrDefault();
        }));

    public Task<bool> ConfirmAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MoveAsync("UPDATE referrals SET status = 'confirmed', confirmed_at_ms = $at WHERE tenant_id = $t AND referred_id = $u AND status = 'pending'", tenantId, referredId, at, cancellationToken);

    public Task<IReadOnlyList<Referral>> ListConfirmedAsync(TenantId tenantId, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Referral>>(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM referrals WHERE tenant_id = $t AND status = 'confirmed' ORDER BY confirmed_at_ms LIMIT $max", ("$t", tenantId.Value), ("$max", max));
            return ReadAll(command, r => Read(r, tenantId));
        }));

    public Task<bool> MarkRewardedAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MoveAsync("UPDATE referrals SET status = 'rewarded', rewarded_at_ms = $at WHERE tenant_id = $t AND referred_id = $u AND status = 'confirmed'", tenantId, referredId, at, cancellationToken);

    /// <summary>One conditional status move (the statement's WHERE names the status it moves from).</summary>
    private Task<bool> MoveAsync(string sql, TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(w => w.Execute(sql, ("$at", at.ToUnixTimeMilliseconds()), ("$t", tenantId.Value), ("$u", referredId.Value)) == 1, cancellationToken);

    private static Referral Read(SqliteDataReader r, TenantId tenantId) => new(
        tenantId,
        UserId.Parse(r.GetString(1)),
        UserId.Parse(r.GetString(0)),
        ReferralText.Parse(r.GetString(2)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
        r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));
}
