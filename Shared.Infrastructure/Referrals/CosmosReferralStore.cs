using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Referrals;

public sealed class CosmosReferralStore(CosmosDatabase db) : IReferralStore
{
    private const string Id = "referral";
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public Task<bool> TryCreateAsync(Referral referral, CancellationToken cancellationToken) =>
        _users.TryCreateAsync(
            new ReferralDocument
            {
                TenantId = referral.TenantId.Value,
                UserId = referral.ReferredId.Value,
                ReferrerId = referral.ReferrerId.Value,
                Status = ReferralText.Format(referral.Status),
                CreatedAtMs = referral.CreatedAt.ToUnixTimeMilliseconds(),
            },
            Keys.User(referral.TenantId, referral.ReferredId),
            cancellationToken);

    public async Task<Referral?> GetAsync(TenantId tenantId, UserId referredId, CancellationToken cancellationToken) =>
        (await _users.ReadAsync<ReferralDocument>(Id, Keys.User(tenantId, referredId), cancellationToken)).Document?.ToReferral();

    public Task<bool> ConfirmAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MoveAsync(tenantId, referredId, "pending", [PatchOperation.Set("/status", "confirmed"), PatchOperation.Set("/confirmed_at_ms", at.ToUnixTimeMilliseconds())], cancellationToken);

    public Task<bool> MarkRewardedAsync(TenantId tenantId, UserId referredId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MoveAsync(tenantId, referredId, "confirmed", [PatchOperation.Set("/status", "rewarded"), PatchOperation.Set("/rewarded_at_ms", at.ToUnixTimeMilliseconds())], cancellationToken);

    public async Task<IReadOnlyList<Referral>> ListConfirmedAsync(TenantId tenantId, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'referral' AND c.status = 'confirmed' ORDER BY c.confirmed_at_ms").WithParameter("@max", max);
        return [.. (await CosmosQueries.ListAsync<ReferralDocument>(_users, query, Keys.TenantPrefix(tenantId), cancellationToken)).Select(d => d.ToReferral())];
    }

    /// <summary>One conditional patch: the status moves only from <paramref name="from"/>.</summary>
    private async Task<bool> MoveAsync(TenantId tenantId, UserId referredId, string from, IReadOnlyList<PatchOperation> operations, CancellationToken cancellationToken)
    {
        using var response = await _users.PatchItemStreamAsync(Id, Keys.User(tenantId, referredId), operations, new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.status = '{from}'" }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }
}
