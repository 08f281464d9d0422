using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Notifications;

/// <summary>Registered FCM tokens in Cosmos DB: one document per token in its user's partition of <c>notifications</c>.</summary>
public sealed class CosmosPushDeviceStore(CosmosDatabase db) : IPushDeviceStore
{
    private readonly Container _notifications = db.Container(CosmosContainers.Notifications);

    public async Task RegisterAsync(TenantId tenantId, UserId userId, string fcmToken, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var partition = Keys.User(tenantId, userId);
        using (var payload = CosmosStreams.Serialize(new PushDeviceDocument { Id = IdOf(fcmToken), TenantId = tenantId.Value, UserId = userId.Value, FcmToken = fcmToken, RegisteredAtMs = at.ToUnixTimeMilliseconds() }))
        using (var written = await _notifications.UpsertItemStreamAsync(payload, partition, new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken))
        {
            written.EnsureSuccessStatusCode();
        }

        // Beyond the bound, the least recently registered go (a concurrent registration may briefly leave one extra,
        // which the next registration trims).
        foreach (var stale in (await DevicesAsync(partition, cancellationToken)).Skip(PushDevices.MaxPerUser))
        {
            using var deleted = await _notifications.DeleteItemStreamAsync(stale.Id, partition, cancellationToken: cancellationToken);
            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccessStatusCode();
            }
        }
    }

    public async Task<bool> RemoveAsync(TenantId tenantId, UserId userId, string fcmToken, CancellationToken cancellationToken)
    {
        using var response = await _notifications.DeleteItemStreamAsync(IdOf(fcmToken), Keys.User(tenantId, userId), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<IReadOnlyList<string>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        [.. (await DevicesAsync(Keys.User(tenantId, userId), cancellationToken)).Select(d => d.FcmToken)];

    /// <summary>The partition's devices, most recently registered first (at most a few, so sorted here).</summary>
    private async Task<List<PushDeviceDocument>> DevicesAsync(PartitionKey partition, CancellationToken cancellationToken)
    {
        var found = await CosmosQueries.ListAsync<PushDeviceDocument>(_notifications, new QueryDefinition("SELECT * FROM c WHERE c.type = 'push_device'"), partition, cancellationToken);
        return [.. found.OrderByDescending(d => d.RegisteredAtMs).ThenByDescending(d => d.FcmToken, StringComparer.Ordinal)];
    }

    private static string IdOf(string fcmToken) => Keys.Hashed("device-", fcmToken);
}
