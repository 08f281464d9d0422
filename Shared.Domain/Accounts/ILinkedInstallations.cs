using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>The installations linked to a user of a tenant (read over the users feature's installation records).</summary>
public interface ILinkedInstallations
{
    /// <summary>At most <paramref name="max"/> of the user's installations, oldest link first.</summary>
    Task<IReadOnlyList<LinkedInstallation>> ListAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken);
}
