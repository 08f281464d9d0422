using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Quotas;
using Shared.Domain.Usage;
using Shared.Domain.Users;

namespace Shared.Domain.Identify;

/// <summary>
/// The extension's per-use call: find or create the user behind an installation and consume one use.
/// A returning user costs two store operations once the installation is cached and while its token is reused: the
/// conditional increment and the erasure-tombstone read after it (which closes the race with an erasure); a new token
/// also reads the user's role grants.
/// Linking rules (README, "Identify: proof before linking"): only a verified email (a valid ID token) joins an
/// installation to an existing user; a bare email is kept as a new user's unverified contact and never looked up; an
/// installation never changes users, so a proof of another user's email on a linked installation is refused (409).
/// </summary>
public sealed class IdentifyHandler(
    IUserDirectory users,
    IQuotaStore quotas,
    IUsageLog usageLog,
    IAccessTokenIssuer tokens,
    IInstallationGate installationGate,
    IIdTokenVerifier idTokens,
    IUpgradeLinkIssuer upgradeLinks,
    ErasureRecheck erasures,
    UserRoles roles,
    TimeProvider time)
{
    public const int MaxActionTypeLength = 64;

    public async Task<Result<IdentifyResult>> HandleAsync(IdentifyCommand command, CancellationToken cancellationToken)
    {
        var tenant = command.Tenant;
        var now = time.GetUtcNow();

        // The proof is checked before anything is read or written: a bad token changes nothing.
        EmailAddress? verified = null;
        if (command.IdToken is { } idToken)
        {
            var identity = await idTokens.VerifyAsync(tenant, idToken, cancellationToken);
            if (!identity.IsSuccess)
            {
                return identity.Error!;
            }

            verified = identity.Value.Email;
        }

        var link = await users.FindInstallationAsync(tenant.Id, command.ExtensionId, cancellationToken);
        if (link is null)
        {
            if (!installationGate.TryAdmit(tenant.Id, command.ClientAddress))
            {
                return new Error(ErrorKind.TooManyRequests, "installation_rate_limited", "Too many new installations from this address; try again later.");
            }

            link = verified is { } proven
                ? await users.RegisterVerifiedInstallationAsync(tenant.Id, command.ExtensionId, proven, UserId.New(), now, cancellationToken)
                : await users.RegisterInstallationAsync(tenant.Id, command.ExtensionId, command.Email, UserId.New(), now, cancellationToken);
        }

        // A linked installation (found, or won by a concurrent first call) keeps its user; the proof may only add the
        // email to that user. A bare email changes nothing here.
        if (verified is { } email && !link.CreatedNow)
        {
            var claim = await users.ClaimVerifiedEmailAsync(tenant.Id, link.UserId, email, now, cancellationToken);
            switch (claim)
            {
                case EmailClaim.OwnedByAnotherUser:
                    return new Error(ErrorKind.Conflict, "email_belongs_to_another_user", "This installation belongs to another account than the one this email signs in to; an installation never changes accounts. Sign in from a new installation (a new extension_id) to use that account.");
                case EmailClaim.UserHasAnotherEmail:
                    return new Error(ErrorKind.Conflict, "account_has_another_email", "This installation's account is signed in with another email; an account keeps the email it proved first.");
            }
        }

        RequestKey? key = command.RequestKey is { } requestId ? RequestKey.ForIdentify(tenant.Id, link.UserId, requestId) : null;
        var outcome = await quotas.TryConsumeAsync(tenant.Id, link.UserId, key, now, cancellationToken);
        if (outcome is null)
        {
            // First use, or a registration interrupted before the account was written: open it on the free plan.
            await users.EnsureUserAsync(tenant.Id, link.UserId, now, cancellationToken);
            var plan = tenant.DefaultPlan;
            await quotas.CreateIfMissingAsync(QuotaAccount.Open(tenant.Id, link.UserId, plan.Id, plan.Allowance, now, now), cancellationToken);
            outcome = await quotas.TryConsumeAsync(tenant.Id, link.UserId, key, now, cancellationToken)
                ?? throw new InvalidOperationException($"Quota account of user {link.UserId} is missing right after it was created.");
        }

        usageLog.Record(new UsageRecord(tenant.Id, link.UserId, command.ActionType, outcome.Kind, now));

        // An erasure may have run meanwhile (the link came from a cache, or the erasure started after the link was read).
        // Its tombstone is written before it erases (and it flushes queued usage records first), so: either this check
        // sees it, and every write above (the usage record included) is removed here, or they all happened before the
        // tombstone and the erasure's own pass removes them. Nothing is left or issued under an erased id. The same
        // recheck as the accounts flows: one tombstone read when nothing was erased.
        if (await erasures.UndoIfErasedAsync(tenant.Id, link.UserId, cancellationToken))
        {
            return new Error(ErrorKind.Forbidden, "user_erased", "This installation's account was erased at its owner's request; it cannot be used again.");
        }

        // A token still within its reuse window is handed out again; only a new one reads the user's roles (a role change
        // reaches identify's token when it is renewed, as it reaches every token).
        var token = await tokens.TryReuseAsync(tenant.Id, link.UserId, cancellationToken)
            ?? await tokens.IssueAsync(tenant.Id, link.UserId, [.. await roles.EffectiveAsync(tenant, link.UserId, cancellationToken)], cancellationToken);
        var upgradeUrl = outcome.Status.Allowance.IsUnlimited ? null : tenant.UpgradeUrlFor(await upgradeLinks.IssueAsync(tenant.Id, link.UserId, cancellationToken));
        return new IdentifyResult(link.UserId, outcome, upgradeUrl, token);
    }
}
