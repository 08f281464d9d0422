using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

public sealed class CosmosDataSharingStore(CosmosDatabase db) : IDataSharingStore
{
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task SetAsync(DataSharingPreference preference, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(new DataSharingDocument
        {
            TenantId = preference.TenantId.Value,
            UserId = preference.UserId.Value,
            OptIn = preference.OptIn,
            ProfitSplit = preference.ProfitSplit,
            UpdatedAtMs = preference.UpdatedAt.ToUnixTimeMilliseconds(),
        });
        using var response = await _users.UpsertItemStreamAsync(payload, Keys.User(preference.TenantId, preference.UserId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<DataSharingPreference?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _users.ReadAsync<DataSharingDocument>("data_sharing", Keys.User(tenantId, userId), cancellationToken);
        return doc is null ? null : new DataSharingPreference(tenantId, userId, doc.OptIn, doc.ProfitSplit, DateTimeOffset.FromUnixTimeMilliseconds(doc.UpdatedAtMs));
    }

    public async Task<IReadOnlyList<UserId>> ListOptedInAsync(TenantId tenantId, UserId? after, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max c.userId FROM c WHERE c.type = 'data_sharing' AND c.opt_in = true AND c.userId > @after ORDER BY c.userId")
            .WithParameter("@max", max).WithParameter("@after", after?.Value ?? "");
        return await CosmosQueries.UserIdsAsync(_users, query, tenantId, cancellationToken);
    }
}
