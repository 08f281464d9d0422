using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Tenants;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/otp/send {phone}: texts a 6-digit code (5 minutes, 5 attempts), throttled per phone and per address.
/// For a phone nobody has, in a tenant without phone sign-up, nothing is sent but the answer is the same (202), so
/// the endpoint does not say which numbers have accounts.
/// </summary>
public sealed class SendOtp(IAccountStore store, OneTimeCodes codes, SendThrottle throttle, ISmsSender sms, AccountOptions options)
{
    public async Task<Result<bool>> HandleAsync(Tenant tenant, string? rawPhone, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(rawPhone, out var parsed))
        {
            return Error.Validation("phone", "Must be an E.164 phone number (+ and country code, 8–15 digits).");
        }

        var phone = parsed.Value;
        var wait = throttle.TryAcquire("phone:" + tenant.Id.Value + "|" + phone.Value, origin.Address);
        if (wait > TimeSpan.Zero)
        {
            return new Error(ErrorKind.TooManyRequests, "rate_limited", $"Too many codes sent; try again in {(int)Math.Ceiling(wait.TotalSeconds)} s.");
        }

        var owner = await store.FindPhoneOwnerAsync(tenant.Id, phone, cancellationToken);
        if (owner is null && !tenant.AllowsPhoneSignup)
        {
            return true;
        }

        var userId = owner ?? UserId.New(); // a new number's user gets this id once the code is proven
        var code = await codes.IssueAsync(tenant.Id, CodePurpose.Phone, phone.Value, userId, null, cancellationToken);
        await sms.SendAsync(new SmsMessage(tenant.Id, phone, $"{code} is your {tenant.Name} code. It expires in {(int)options.PhoneCodeLifetime.TotalMinutes} minutes.", code, userId), cancellationToken);
        return true;
    }
}
