using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/signup. Answers alike whether or not the address has an account (no enumeration): the password is hashed
/// either way (same time), the answer is a user id either way (for a known address, an id that belongs to nobody) and
/// the mailbox gets the news: a new code if the account is unproven, else a note that it exists. Only the mailbox's
/// owner learns which. The code carries this sign-up's password hash, which proving it makes the password.
/// </summary>
public sealed class SignUp(
    IAccountStore store,
    IUserDirectory users,
    IQuotaStore quotas,
    ReferralHandler referrals,
    PasswordPolicy policy,
    IPasswordHasher hasher,
    OneTimeCodes codes,
    SendThrottle throttle,
    IMailSender mail,
    AccountAudit audit,
    ErasureRecheck erasures,
    AccountOptions options,
    TimeProvider time)
{
    public async Task<Result<UserId>> HandleAsync(Tenant tenant, string? rawEmail, string? password, string? referralCode, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!EmailAddress.TryParse(rawEmail, out var parsed))
        {
            errors.Add("email", "Must be an email address.");
        }

        if (policy.Problem(password, rawEmail) is { } passwordProblem)
        {
            errors.Add("password", passwordProblem);
        }

        UserId? referrer = null;
        if (referralCode is not null)
        {
            if (!UserId.TryParse(referralCode, out referrer))
            {
                errors.Add("referral_code", "Is not a referral code.");
            }
            else if (await quotas.GetAsync(tenant.Id, referrer.Value, cancellationToken) is null)
            {
                errors.Add("referral_code", "No such referrer in this tenant.");
            }
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var email = parsed!.Value;
        var wait = throttle.TryAcquire("email:" + tenant.Id.Value + "|" + email.Value, origin.Address);
        if (wait > TimeSpan.Zero)
        {
            return new Error(ErrorKind.TooManyRequests, "rate_limited", $"Too many codes sent; try again in {(int)Math.Ceiling(wait.TotalSeconds)} s.");
        }

        var hash = hasher.Hash(password!);
        var candidate = UserId.New();
        var now = time.GetUtcNow();
        var existing = await store.FindCredentialAsync(tenant.Id, email, cancellationToken);
        if (existing is null && await store.TryCreateCredentialAsync(new Credential(tenant.Id, email, candidate, hash, EmailVerified: false, now), cancellationToken))
        {
            await users.EnsureUserAsync(tenant.Id, candidate, now, cancellationToken);
            if (referrer is { } r)
            {
                // Checked above; a failure now (the referrer was erased meanwhile, or refers itself) leaves the account as it is.
                _ = await referrals.ReferAsync(tenant.Id, r, candidate, cancellationToken);
            }

            await SendCodeAsync(tenant, email, candidate, hash, cancellationToken);
            await audit.RecordAsync(tenant.Id, AuditActions.Signup, candidate, origin, cancellationToken);
            return candidate;
        }

        existing ??= await store.FindCredentialAsync(tenant.Id, email, cancellationToken); // lost a race to a concurrent sign-up
        if (existing is { EmailVerified: false })
        {
            await SendCodeAsync(tenant, email, existing.UserId, hash, cancellationToken);
        }
        else if (existing is not null)
        {
            await mail.SendAsync(
                new MailMessage(
                    tenant.Id,
                    email,
                    $"Sign-up attempt at {tenant.Name}",
                    $"Someone, maybe you, tried to sign up at {tenant.Name} with this address. It already has an account: log in with it instead. If it was not you, nothing changed and you need not do anything.",
                    null,
                    existing.UserId),
                cancellationToken);
        }

        await audit.RecordAsync(tenant.Id, AuditActions.Signup, existing?.UserId, origin, cancellationToken, new Dictionary<string, string> { ["outcome"] = "existing_email" });

        // The existing account may have been erased since it was read: the code, the message and the entry above name
        // it, so they go too. The answer stays the one every address gets (it tells nothing about the account).
        await erasures.UndoIfErasedAsync(tenant.Id, existing?.UserId, cancellationToken);
        return candidate; // belongs to nobody: the same answer as for a new address
    }

    private async Task SendCodeAsync(Tenant tenant, EmailAddress email, UserId userId, string pendingHash, CancellationToken cancellationToken)
    {
        var code = await codes.IssueAsync(tenant.Id, CodePurpose.Signup, email.Value, userId, pendingHash, cancellationToken);
        await mail.SendAsync(
            new MailMessage(
                tenant.Id,
                email,
                $"Your {tenant.Name} verification code",
                $"Your verification code is {code}. It expires in {(int)options.EmailCodeLifetime.TotalMinutes} minutes. If you did not sign up at {tenant.Name}, ignore this email.",
                code,
                userId),
            cancellationToken);
    }
}
