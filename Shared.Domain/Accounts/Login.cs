using System.Globalization;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/login {email, password}. Throttled first (<see cref="LoginThrottle"/>); an unknown email costs the same
/// hashing time as a known one and answers the same <c>invalid_credentials</c>. A success rehashes the password when
/// its stored parameters are weaker than the configured ones. An unproven email may sign in, with the user role only.
/// </summary>
public sealed class Login(IAccountStore store, IUserDirectory users, IPasswordHasher hasher, LoginThrottle throttle, Sessions sessions, AccountAudit audit, ErasureRecheck erasures, TimeProvider time)
{
    public async Task<Result<Session>> HandleAsync(TenantId tenantId, string? rawEmail, string? password, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!EmailAddress.TryParse(rawEmail, out var parsed))
        {
            errors.Add("email", "Must be an email address.");
        }

        if (string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength)
        {
            errors.Add("password", $"Required, at most {PasswordPolicy.MaxLength} characters.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var email = parsed!.Value;
        var account = tenantId.Value + "|" + email.Value;
        var address = tenantId.Value + "|" + origin.Address;
        var wait = throttle.RetryAfter(account, address);
        if (wait > TimeSpan.Zero)
        {
            return Locked(wait);
        }

        var credential = await store.FindCredentialAsync(tenantId, email, cancellationToken);
        var check = PasswordCheck.Mismatch;
        if (credential is null)
        {
            hasher.WasteEqualTime(password!);
        }
        else
        {
            check = hasher.Verify(password!, credential.PasswordHash);
        }

        if (check == PasswordCheck.Mismatch)
        {
            var locked = throttle.Failed(account, address);
            await audit.RecordAsync(tenantId, AuditActions.LoginFailed, credential?.UserId, origin, cancellationToken);
            if (locked)
            {
                await audit.RecordAsync(tenantId, AuditActions.Lockout, credential?.UserId, origin, cancellationToken);
            }

            // The entries name the account: if it was erased meanwhile, they are pseudonymised like its older ones.
            await erasures.UndoIfErasedAsync(tenantId, credential?.UserId, cancellationToken);

            return new Error(ErrorKind.Unauthorized, "invalid_credentials", "The email or password is wrong.");
        }

        throttle.Succeeded(account, address);
        if (check == PasswordCheck.MatchNeedsRehash)
        {
            // Lost to a concurrent change: the other hash stays, which is as strong.
            _ = await store.ReplacePasswordHashAsync(tenantId, email, credential!.PasswordHash, hasher.Hash(password!), cancellationToken);
        }

        await users.EnsureUserAsync(tenantId, credential!.UserId, time.GetUtcNow(), cancellationToken);
        var session = await sessions.StartAsync(tenantId, credential.UserId, cancellationToken);
        await audit.RecordAsync(tenantId, AuditActions.Login, credential.UserId, origin, cancellationToken, new Dictionary<string, string> { ["method"] = "password" });
        if (await erasures.UndoIfErasedAsync(tenantId, credential.UserId, cancellationToken))
        {
            return ErasureRecheck.Erased; // erased between the credential's read and these writes: no session
        }

        return session;
    }

    private static Error Locked(TimeSpan wait) =>
        new(ErrorKind.TooManyRequests, "login_locked", string.Create(CultureInfo.InvariantCulture, $"Too many failed logins; try again in {(int)Math.Ceiling(wait.TotalSeconds)} s."));
}
