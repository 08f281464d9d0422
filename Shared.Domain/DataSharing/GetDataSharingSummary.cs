using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary><c>GET /data-sharing/me</c>: the caller's own consent, split and contribution count; a user who never chose is opted out at 50 %.</summary>
public sealed class GetDataSharingSummary(IDataSharingStore preferences, IDataSharingReleaseStore releases)
{
    public async Task<DataSharingSummary> HandleAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var preference = await preferences.GetAsync(tenantId, userId, cancellationToken);
        var count = await releases.CountContributionsAsync(tenantId, userId, cancellationToken);
        return new DataSharingSummary(preference?.OptIn ?? false, preference?.ProfitSplit ?? 50, count);
    }
}
