using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/verify-email {email, code, password}: proves a sign-up's address (the credential becomes verified with the password
/// of the sign-up that sent the code, and the user gets the address as its verified email; if an extension
/// installation proved the same address first, the credential joins that user) or a change of address (the
/// credential and the user's verified email move to it). Sessions begun before the proof are revoked.
/// A sign-up's code proves the address only together with the password of the sign-up that sent it: otherwise anyone
/// could sign up with a victim's address after them and have the victim, entering the newest code from their inbox,
/// set the attacker's password (and join an installation user who proved that address). The code is matched before the
/// password is checked (each try spends one of the code's attempts), so the slow password check runs at most
/// <see cref="AccountOptions.MaxCodeAttempts"/> times per issued code; a right code with the wrong password spends an
/// attempt and consumes nothing.
/// </summary>
public sealed class VerifyEmail(IAccountStore store, IUserDirectory users, OneTimeCodes codes, IPasswordHasher hasher, AccountAudit audit, ErasureRecheck erasures, TimeProvider time)
{
    public async Task<Result<UserId>> HandleAsync(TenantId tenantId, string? rawEmail, string? code, string? password, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!EmailAddress.TryParse(rawEmail, out var parsed))
        {
            errors.Add("email", "Must be an email address.");
        }

        if (!SecretCodes.IsWellFormedCode(code))
        {
            errors.Add("code", "Must be the 6 digits sent.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var email = parsed!.Value;
        var now = time.GetUtcNow();
        // The code is matched first (taking one of its attempts), the password only then: a PBKDF2 check costs far
        // more than a read, and an anonymous caller must not be able to buy unbounded checks (nor test passwords
        // without the code, outside the login throttle). So at most MaxCodeAttempts checks per issued code.
        var (outcome, signup) = await codes.CheckAsync(tenantId, CodePurpose.Signup, email.Value, code!, cancellationToken, accept: stored =>
            stored.PendingPasswordHash is { } pendingHash
            && password is { Length: > 0 and <= PasswordPolicy.MaxLength }
            && hasher.Verify(password, pendingHash) != PasswordCheck.Mismatch);
        if (outcome == CodeOutcome.Accepted)
        {
            var userId = signup!.UserId;
            var owner = await users.FindByVerifiedEmailAsync(tenantId, email, cancellationToken);
            if (owner is null && await users.ClaimVerifiedEmailAsync(tenantId, userId, email, now, cancellationToken) == EmailClaim.OwnedByAnotherUser)
            {
                owner = await users.FindByVerifiedEmailAsync(tenantId, email, cancellationToken);
            }

            userId = owner ?? userId;
            await store.ConfirmCredentialAsync(tenantId, email, userId, signup.PendingPasswordHash ?? throw new InvalidOperationException("A sign-up code without its password hash."), cancellationToken);
            await store.RevokeRefreshFamiliesOfUserAsync(tenantId, signup.UserId, now, cancellationToken);
            await audit.RecordAsync(tenantId, AuditActions.EmailVerified, userId, origin, cancellationToken);
            var erasedOwner = await erasures.UndoIfErasedAsync(tenantId, userId, cancellationToken);
            var erasedApplicant = userId != signup.UserId && await erasures.UndoIfErasedAsync(tenantId, signup.UserId, cancellationToken);
            if (erasedOwner || erasedApplicant)
            {
                return ErasureRecheck.Erased; // erased while the code was being checked: the confirmation is undone with the rest
            }

            return userId;
        }

        // Not a sign-up code of this address (or a wrong one): perhaps the code of a change to it. Both live codes
        // count the guess, so trying both never gives more guesses than their limits together.
        (outcome, var change) = await codes.CheckAsync(tenantId, CodePurpose.ChangeEmail, email.Value, code!, cancellationToken);
        if (outcome == CodeOutcome.Accepted)
        {
            return await ChangeAsync(tenantId, change!.UserId, email, origin, cancellationToken);
        }

        return OneTimeCodes.InvalidCode();
    }

    private async Task<Result<UserId>> ChangeAsync(TenantId tenantId, UserId userId, EmailAddress to, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var credential = await store.FindCredentialOfUserAsync(tenantId, userId, cancellationToken);
        if (credential is null || !await store.MoveCredentialAsync(tenantId, userId, credential.Email, to, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, "email_taken", "That address belongs to another account.");
        }

        if (!await users.ReplaceVerifiedEmailAsync(tenantId, userId, to, time.GetUtcNow(), cancellationToken))
        {
            await store.MoveCredentialAsync(tenantId, userId, to, credential.Email, cancellationToken); // put it back: nothing changed
            return new Error(ErrorKind.Conflict, "email_taken", "That address belongs to another account.");
        }

        await audit.RecordAsync(tenantId, AuditActions.EmailVerified, userId, origin, cancellationToken, new Dictionary<string, string> { ["change"] = "true" });
        return await erasures.UndoIfErasedAsync(tenantId, userId, cancellationToken) ? ErasureRecheck.Erased : userId;
    }
}
