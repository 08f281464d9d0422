using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Referrals;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/otp/verify {phone, code} → a session. The first proof of a number in a tenant that allows phone sign-up
/// creates its user; a proven phone confirms the user's pending referral (<see cref="ReferralHandler"/>).
/// </summary>
public sealed class VerifyOtp(IAccountStore store, IUserDirectory users, OneTimeCodes codes, ReferralHandler referrals, Sessions sessions, AccountAudit audit, ErasureRecheck erasures, TimeProvider time)
{
    public async Task<Result<Session>> HandleAsync(Tenant tenant, string? rawPhone, string? code, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!PhoneNumber.TryParse(rawPhone, out var parsed))
        {
            errors.Add("phone", "Must be an E.164 phone number (+ and country code, 8–15 digits).");
        }

        if (!SecretCodes.IsWellFormedCode(code))
        {
            errors.Add("code", "Must be the 6 digits sent.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var phone = parsed!.Value;
        var (outcome, proven) = await codes.CheckAsync(tenant.Id, CodePurpose.Phone, phone.Value, code!, cancellationToken);
        if (outcome != CodeOutcome.Accepted)
        {
            if (outcome is CodeOutcome.Wrong or CodeOutcome.NoAttemptsLeft or CodeOutcome.Expired)
            {
                await audit.RecordAsync(tenant.Id, AuditActions.OtpFailed, null, origin, cancellationToken, new Dictionary<string, string> { ["reason"] = outcome.ToString().ToLowerInvariant() });
            }

            return OneTimeCodes.InvalidCode();
        }

        var now = time.GetUtcNow();
        var userId = await store.ClaimPhoneAsync(tenant.Id, phone, proven!.UserId, now, cancellationToken);
        await users.EnsureUserAsync(tenant.Id, userId, now, cancellationToken);
        await referrals.ConfirmAsync(tenant.Id, userId, cancellationToken);
        var session = await sessions.StartAsync(tenant.Id, userId, cancellationToken);
        await audit.RecordAsync(tenant.Id, AuditActions.OtpVerified, userId, origin, cancellationToken);
        if (await erasures.UndoIfErasedAsync(tenant.Id, userId, cancellationToken))
        {
            return ErasureRecheck.Erased; // the number's owner was erased after the code was issued: nothing of them stays
        }

        return session;
    }
}
