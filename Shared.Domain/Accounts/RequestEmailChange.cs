using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// POST /auth/change-email {email} (signed in): sends a code to the new address; POST /auth/verify-email with it moves
/// the account there. Answers 202 whether or not the address is taken (that is found out only by proving the mailbox).
/// </summary>
public sealed class RequestEmailChange(IAccountStore store, OneTimeCodes codes, SendThrottle throttle, IMailSender mail, AccountOptions options)
{
    public async Task<Result<bool>> HandleAsync(Tenant tenant, UserId caller, string? rawEmail, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryParse(rawEmail, out var parsed))
        {
            return Error.Validation("email", "Must be an email address.");
        }

        var email = parsed.Value;
        var credential = await store.FindCredentialOfUserAsync(tenant.Id, caller, cancellationToken);
        if (credential is null)
        {
            return new Error(ErrorKind.Conflict, "no_password_account", "Only an account that signs in with an email and password can change its email here.");
        }

        if (credential.Email == email)
        {
            return Error.Validation("email", "Is already the account's email.");
        }

        var wait = throttle.TryAcquire("email:" + tenant.Id.Value + "|" + email.Value, origin.Address);
        if (wait > TimeSpan.Zero)
        {
            return new Error(ErrorKind.TooManyRequests, "rate_limited", $"Too many codes sent; try again in {(int)Math.Ceiling(wait.TotalSeconds)} s.");
        }

        var code = await codes.IssueAsync(tenant.Id, CodePurpose.ChangeEmail, email.Value, caller, null, cancellationToken);
        await mail.SendAsync(
            new MailMessage(
                tenant.Id,
                email,
                $"Confirm your new {tenant.Name} email",
                $"Your code to move your {tenant.Name} account to this address is {code}. It expires in {(int)options.EmailCodeLifetime.TotalMinutes} minutes. If you did not ask for this, ignore this email.",
                code,
                caller),
            cancellationToken);
        return true;
    }
}
