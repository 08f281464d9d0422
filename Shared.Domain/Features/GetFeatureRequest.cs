using Shared.Domain.Common;

namespace Shared.Domain.Features;

/// <summary>One of the caller's own requests; any other id (another user's, another tenant's, malformed) is not found.</summary>
public sealed class GetFeatureRequest(IFeatureRequestStore store)
{
    public async Task<Result<FeatureRequest>> HandleAsync(TenantId tenantId, UserId userId, string? id, CancellationToken cancellationToken)
    {
        var request = FeatureRequest.IsWellFormedId(id) ? await store.GetAsync(tenantId, userId, id!, cancellationToken) : null;
        return request is null ? Error.NotFound("feature_request_not_found", "No such feature request for this user.") : request;
    }
}
