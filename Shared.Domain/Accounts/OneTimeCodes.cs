using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>
/// Issues and checks one-time codes. A check takes one attempt before comparing (so concurrent guesses share the
/// limit), compares in constant time, and consumes the code with a conditional delete (so one code signs in once).
/// </summary>
public sealed class OneTimeCodes(IAccountStore store, AccountOptions options, TimeProvider time)
{
    /// <summary>Makes a new code for the target (replacing a live one) and returns it in clear, to send.</summary>
    public async Task<string> IssueAsync(TenantId tenantId, CodePurpose purpose, string target, UserId userId, string? pendingPasswordHash, CancellationToken cancellationToken)
    {
        var code = SecretCodes.NewCode();
        var salt = SecretCodes.NewSalt();
        var now = time.GetUtcNow();
        var lifetime = purpose == CodePurpose.Phone ? options.PhoneCodeLifetime : options.EmailCodeLifetime;
        await store.SaveCodeAsync(new VerificationCode(tenantId, purpose, target, userId, salt, SecretCodes.HashCode(salt, code), 0, now, now + lifetime, pendingPasswordHash), cancellationToken);
        return code;
    }

    /// <summary>
    /// Checks a code. <paramref name="accept"/>, when given, is a further condition on the stored code (e.g. that the
    /// caller knows the password it is bound to); it runs only after the attempt is taken and the code matched, so
    /// whatever it costs is paid at most <see cref="AccountOptions.MaxCodeAttempts"/> times per issued code. When it
    /// refuses, the answer is <see cref="CodeOutcome.Wrong"/> and the code stays (its attempt spent).
    /// </summary>
    public async Task<(CodeOutcome Outcome, VerificationCode? Code)> CheckAsync(TenantId tenantId, CodePurpose purpose, string target, string code, CancellationToken cancellationToken, Func<VerificationCode, bool>? accept = null)
    {
        var stored = await store.FindCodeAsync(tenantId, purpose, target, cancellationToken);
        if (stored is null)
        {
            return (CodeOutcome.NoLiveCode, null);
        }

        if (stored.ExpiresAt <= time.GetUtcNow())
        {
            await store.TryDeleteCodeAsync(tenantId, purpose, target, stored.Hash, cancellationToken);
            return (CodeOutcome.Expired, null);
        }

        if (!await store.TryTakeAttemptAsync(tenantId, purpose, target, stored.Hash, Math.Max(1, options.MaxCodeAttempts), cancellationToken))
        {
            return (CodeOutcome.NoAttemptsLeft, null);
        }

        if (!SecretCodes.CodeMatches(stored.Salt, stored.Hash, code) || (accept is not null && !accept(stored)))
        {
            return (CodeOutcome.Wrong, null);
        }

        return await store.TryDeleteCodeAsync(tenantId, purpose, target, stored.Hash, cancellationToken)
            ? (CodeOutcome.Accepted, stored)
            : (CodeOutcome.NoLiveCode, null);
    }

    public static Error InvalidCode() => new(ErrorKind.Validation, "invalid_code", "The code is wrong, expired or used up; ask for a new one.");
}
