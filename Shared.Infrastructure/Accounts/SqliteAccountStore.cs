using Microsoft.Data.Sqlite;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Accounts;

public sealed class SqliteAccountStore(SqliteDatabase db) : IAccountStore
{
    private const string CredentialColumns = "email, user_id, password_hash, email_verified, created_at_ms";
    private const string CodeColumns = "purpose, target, user_id, salt, code_hash, attempts, sent_at_ms, expires_at_ms, pending_password_hash";

    public Task<bool> TryCreateCredentialAsync(Credential credential, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO credentials (tenant_id, {CredentialColumns}) VALUES ($t, $e, $u, $h, $v, $at) ON CONFLICT DO NOTHING",
                ("$t", credential.TenantId.Value),
                ("$e", credential.Email.Value),
                ("$u", credential.UserId.Value),
                ("$h", credential.PasswordHash),
                ("$v", credential.EmailVerified ? 1 : 0),
                ("$at", credential.CreatedAt.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    public Task<Credential?> FindCredentialAsync(TenantId tenantId, EmailAddress email, CancellationToken cancellationToken) =>
        ReadCredential(tenantId, "email = $k", email.Value);

    public Task<Credential?> FindCredentialOfUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        ReadCredential(tenantId, "user_id = $k", userId.Value);

    public Task<bool> ReplacePasswordHashAsync(TenantId tenantId, EmailAddress email, string expectedHash, string newHash, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE credentials SET password_hash = $new WHERE tenant_id = $t AND email = $e AND password_hash = $old", ("$t", tenantId.Value), ("$e", email.Value), ("$old", expectedHash), ("$new", newHash)) == 1,
            cancellationToken);

    public Task<bool> MoveCredentialAsync(TenantId tenantId, UserId userId, EmailAddress from, EmailAddress to, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (w.Scalar("SELECT 1 FROM credentials WHERE tenant_id = $t AND email = $to", ("$t", tenantId.Value), ("$to", to.Value)) is not null)
                {
                    return false;
                }

                return w.Execute("UPDATE credentials SET email = $to, email_verified = 1 WHERE tenant_id = $t AND email = $from AND user_id = $u", ("$t", tenantId.Value), ("$to", to.Value), ("$from", from.Value), ("$u", userId.Value)) == 1;
            },
            cancellationToken);

    public Task ConfirmCredentialAsync(TenantId tenantId, EmailAddress email, UserId userId, string passwordHash, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE credentials SET user_id = $u, password_hash = $h, email_verified = 1 WHERE tenant_id = $t AND email = $e", ("$t", tenantId.Value), ("$e", email.Value), ("$u", userId.Value), ("$h", passwordHash)),
            cancellationToken);

    public Task<UserId> ClaimPhoneAsync(TenantId tenantId, PhoneNumber phone, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute("INSERT INTO phones (tenant_id, phone, user_id, created_at_ms) VALUES ($t, $p, $u, $at) ON CONFLICT DO NOTHING", ("$t", tenantId.Value), ("$p", phone.Value), ("$u", candidate.Value), ("$at", now.ToUnixTimeMilliseconds()));
                return UserId.Parse((string)w.Scalar("SELECT user_id FROM phones WHERE tenant_id = $t AND phone = $p", ("$t", tenantId.Value), ("$p", phone.Value))!);
            },
            cancellationToken);

    public Task<UserId?> FindPhoneOwnerAsync(TenantId tenantId, PhoneNumber phone, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Scalar(c, null, "SELECT user_id FROM phones WHERE tenant_id = $t AND phone = $p", ("$t", tenantId.Value), ("$p", phone.Value)) is string owner ? UserId.Parse(owner) : (UserId?)null));

    public Task SaveCodeAsync(VerificationCode code, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT OR REPLACE INTO verification_codes (tenant_id, {CodeColumns}) VALUES ($t, $p, $target, $u, $salt, $h, $n, $sent, $exp, $pending)",
                ("$t", code.TenantId.Value),
                ("$p", CodePurposeText.Format(code.Purpose)),
                ("$target", code.Target),
                ("$u", code.UserId.Value),
                ("$salt", code.Salt),
                ("$h", code.Hash),
                ("$n", code.Attempts),
                ("$sent", code.SentAt.ToUnixTimeMilliseconds()),
                ("$exp", code.ExpiresAt.ToUnixTimeMilliseconds()),
                ("$pending", code.PendingPasswordHash)),
            cancellationToken);

    public Task<VerificationCode?> FindCodeAsync(TenantId tenantId, CodePurpose purpose, string target, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {CodeColumns} FROM verification_codes WHERE tenant_id = $t AND purpose = $p AND target = $target", ("$t", tenantId.Value), ("$p", CodePurposeText.Format(purpose)), ("$target", target));
            return ReadAll(command, r => new VerificationCode(
                tenantId,
                purpose,
                r.GetString(1),
                UserId.Parse(r.GetString(2)),
                r.GetString(3),
                r.GetString(4),
                r.GetInt32(5),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
                r.IsDBNull(8) ? null : r.GetString(8))).FirstOrDefault();
        }));

    public Task<bool> TryTakeAttemptAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, int maxAttempts, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "UPDATE verification_codes SET attempts = attempts + 1 WHERE tenant_id = $t AND purpose = $p AND target = $target AND code_hash = $h AND attempts < $max",
                ("$t", tenantId.Value),
                ("$p", CodePurposeText.Format(purpose)),
                ("$target", target),
                ("$h", hash),
                ("$max", maxAttempts)) == 1,
            cancellationToken);

    public Task<bool> TryDeleteCodeAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("DELETE FROM verification_codes WHERE tenant_id = $t AND purpose = $p AND target = $target AND code_hash = $h", ("$t", tenantId.Value), ("$p", CodePurposeText.Format(purpose)), ("$target", target), ("$h", hash)) == 1,
            cancellationToken);

    public Task CreateRefreshFamilyAsync(RefreshFamily family, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO refresh_families (tenant_id, family_id, user_id, created_at_ms, revoked_at_ms) VALUES ($t, $f, $u, $at, NULL)",
                ("$t", family.TenantId.Value),
                ("$f", family.FamilyId),
                ("$u", family.UserId.Value),
                ("$at", family.CreatedAt.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task<RefreshFamily?> FindRefreshFamilyAsync(TenantId tenantId, string familyId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT user_id, created_at_ms, revoked_at_ms FROM refresh_families WHERE tenant_id = $t AND family_id = $f", ("$t", tenantId.Value), ("$f", familyId));
            return ReadAll(command, r => new RefreshFamily(tenantId, familyId, UserId.Parse(r.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)))).FirstOrDefault();
        }));

    public Task RevokeRefreshFamilyAsync(TenantId tenantId, string familyId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE refresh_families SET revoked_at_ms = $at WHERE tenant_id = $t AND family_id = $f AND revoked_at_ms IS NULL", ("$t", tenantId.Value), ("$f", familyId), ("$at", at.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task RevokeRefreshFamiliesOfUserAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE refresh_families SET revoked_at_ms = $at WHERE tenant_id = $t AND user_id = $u AND revoked_at_ms IS NULL AND created_at_ms <= $at", ("$t", tenantId.Value), ("$u", userId.Value), ("$at", at.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO refresh_tokens (tenant_id, token_hash, family_id, user_id, issued_at_ms, expires_at_ms, used_at_ms) VALUES ($t, $h, $f, $u, $at, $exp, NULL)",
                ("$t", token.TenantId.Value),
                ("$h", token.Hash),
                ("$f", token.FamilyId),
                ("$u", token.UserId.Value),
                ("$at", token.IssuedAt.ToUnixTimeMilliseconds()),
                ("$exp", token.ExpiresAt.ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task<RefreshToken?> FindRefreshTokenAsync(TenantId tenantId, string hash, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT family_id, user_id, issued_at_ms, expires_at_ms, used_at_ms FROM refresh_tokens WHERE tenant_id = $t AND token_hash = $h", ("$t", tenantId.Value), ("$h", hash));
            return ReadAll(command, r => new RefreshToken(
                tenantId,
                hash,
                r.GetString(0),
                UserId.Parse(r.GetString(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)))).FirstOrDefault();
        }));

    public Task<bool> TryUseRefreshTokenAsync(TenantId tenantId, string hash, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE refresh_tokens SET used_at_ms = $at WHERE tenant_id = $t AND token_hash = $h AND used_at_ms IS NULL", ("$t", tenantId.Value), ("$h", hash), ("$at", at.ToUnixTimeMilliseconds())) == 1,
            cancellationToken);

    private Task<Credential?> ReadCredential(TenantId tenantId, string where, string key) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {CredentialColumns} FROM credentials WHERE tenant_id = $t AND {where} LIMIT 1", ("$t", tenantId.Value), ("$k", key));
            return ReadAll(command, r => ReadCredential(r, tenantId)).FirstOrDefault();
        }));

    private static Credential? ReadCredential(SqliteDataReader r, TenantId tenantId) =>
        EmailAddress.TryParse(r.GetString(0), out var email)
            ? new Credential(tenantId, email.Value, UserId.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3) == 1, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)))
            : null;
}
