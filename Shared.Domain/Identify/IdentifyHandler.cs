using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;

namespace Shared.Domain.Identify;

/// <summary>An identify call; <see cref="RequestKey"/> is the client's request_id, bound to the identify kind and the user once the user is known.</summary>
public sealed record IdentifyCommand(Tenant Tenant, ExtensionId ExtensionId, EmailAddress? Email, string ActionType, ClientRequestId? RequestKey, string? ClientAddress);

public sealed record IdentifyResult(UserId UserId, ConsumeOutcome Outcome, string? UpgradeUrl, AccessToken Token)
{
    public bool CanUse => Outcome.Kind != ConsumeKind.Denied;
}

/// <summary>Decides whether a caller may open one more installation (an abuse limit on user creation).</summary>
public interface IInstallationGate
{
    bool TryAdmit(TenantId tenantId, string? clientAddress);
}

/// <summary>
/// The extension's per-use call: find or create the user behind an installation and consume one use.
/// A returning user costs one store operation (the conditional increment) once the installation is cached.
/// </summary>
public sealed class IdentifyHandler(
    IUserDirectory users,
    IQuotaStore quotas,
    IUsageLog usageLog,
    IAccessTokenIssuer tokens,
    IInstallationGate installationGate,
    TimeProvider time)
{
    public const int MaxActionTypeLength = 64;

    public async Task<Result<IdentifyResult>> HandleAsync(IdentifyCommand command, CancellationToken cancellationToken)
    {
        var tenant = command.Tenant;
        var now = time.GetUtcNow();

        var link = await users.FindInstallationAsync(tenant.Id, command.ExtensionId, cancellationToken);
        if (link is null)
        {
            if (!installationGate.TryAdmit(tenant.Id, command.ClientAddress))
            {
                return new Error(ErrorKind.TooManyRequests, "installation_rate_limited", "Too many new installations from this address; try again later.");
            }

            link = await users.RegisterInstallationAsync(tenant.Id, command.ExtensionId, command.Email, UserId.New(), now, cancellationToken);
        }
        else if (command.Email is { } email && !link.EmailSettled)
        {
            await users.LinkEmailAsync(tenant.Id, command.ExtensionId, link.UserId, email, now, cancellationToken);
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
        var token = await tokens.IssueAsync(tenant.Id, link.UserId, Role.User, cancellationToken);
        var upgradeUrl = outcome.Status.Allowance.IsUnlimited ? null : tenant.UpgradeUrlFor(link.UserId);
        return new IdentifyResult(link.UserId, outcome, upgradeUrl, token);
    }
}

/// <summary>Reads a user's quota without consuming anything.</summary>
public sealed class QuotaQueryHandler(IQuotaStore quotas, TimeProvider time)
{
    public async Task<Result<QuotaStatus>> HandleAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var account = await quotas.GetAsync(tenantId, userId, cancellationToken);
        return account is null
            ? Error.NotFound("user_not_found", "No such user in this tenant.")
            : account.StatusAt(time.GetUtcNow());
    }
}
