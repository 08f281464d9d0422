using Shared.Domain.Common;

namespace Shared.Domain.Identity;

/// <summary>
/// Short-lived signed tokens for upgrade links (the pricing page and its checkout links): they name a user and a
/// tenant without putting the bare user id in a URL, and expire.
/// </summary>
public interface IUpgradeLinkIssuer
{
    Task<string> IssueAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
