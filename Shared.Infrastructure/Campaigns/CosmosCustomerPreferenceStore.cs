using Microsoft.Azure.Cosmos;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Customers' preferences in Cosmos DB: one document per customer in the customer's own partition [tenantId, userId]
/// of <c>users</c> (a PUT is one upsert; the consent re-check before a batch is point reads, 1 RU each). The audience
/// query is a partition-key PREFIX query on [tenantId]: it reads only the physical partitions holding that tenant's
/// users (never another tenant's), filters on the indexed pin_codes array and consent flags, and pages by user id
/// (keyset: userId &gt; after, ORDER BY userId). No second copy of the data keyed by pin code is kept, so consent
/// can never be stale in an index; the cost is a fan-out over the tenant's physical partitions per page.
/// </summary>
public sealed class CosmosCustomerPreferenceStore(CosmosDatabase db) : ICustomerPreferenceStore
{
    private const int ReadConcurrency = 16;
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task PutAsync(CustomerPreferences preferences, CancellationToken cancellationToken)
    {
        var document = new PreferencesDocument
        {
            TenantId = preferences.TenantId.Value,
            UserId = preferences.UserId.Value,
            PinCodes = [.. preferences.PinCodes],
            InApp = preferences.Channels.InApp,
            Push = preferences.Channels.Push,
            Whatsapp = preferences.Channels.WhatsApp,
            UpdatedAtMs = preferences.UpdatedAt.ToUnixTimeMilliseconds(),
        };
        using var payload = CosmosStreams.Serialize(document);
        using var response = await _users.UpsertItemStreamAsync(payload, Keys.User(preferences.TenantId, preferences.UserId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<CustomerPreferences?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (document, _) = await _users.ReadAsync<PreferencesDocument>(PreferencesDocument.DocumentId, Keys.User(tenantId, userId), cancellationToken);
        return document is null ? null : new CustomerPreferences(tenantId, userId, document.PinCodes, Consent(document), DateTimeOffset.FromUnixTimeMilliseconds(document.UpdatedAtMs));
    }

    public async Task<IReadOnlyDictionary<UserId, ChannelConsent>> GetConsentAsync(TenantId tenantId, IReadOnlyList<UserId> userIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<UserId, ChannelConsent>();
        await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken }, async (user, ct) =>
        {
            var (document, _) = await _users.ReadAsync<PreferencesDocument>(PreferencesDocument.DocumentId, Keys.User(tenantId, user), ct);
            if (document is not null)
            {
                found[user] = Consent(document);
            }
        });
        return found;
    }

    public async Task<IReadOnlyList<AudienceMember>> ListAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, UserId? after, int pageSize, CancellationToken cancellationToken)
    {
        if (pinCodes.Count == 0 || channels.Count == 0)
        {
            return [];
        }

        // Pin codes and channels become parameters (@p0.., fixed flag names): no client text is written into the SQL.
        var pins = string.Join(" OR ", pinCodes.Select((_, i) => $"ARRAY_CONTAINS(c.pin_codes, @p{i})"));
        var consent = string.Join(" OR ", channels.Select(ch => $"c.{Field(ch)} = true"));
        var query = new QueryDefinition($"SELECT TOP @n * FROM c WHERE c.type = 'campaign_preferences' AND c.userId > @after AND ({pins}) AND ({consent}) ORDER BY c.userId")
            .WithParameter("@n", pageSize)
            .WithParameter("@after", after?.Value ?? "");
        for (var i = 0; i < pinCodes.Count; i++)
        {
            query = query.WithParameter($"@p{i}", pinCodes[i]);
        }

        var list = new List<AudienceMember>();
        using var iterator = _users.GetItemQueryIterator<PreferencesDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        while (iterator.HasMoreResults && list.Count < pageSize)
        {
            foreach (var document in await iterator.ReadNextAsync(cancellationToken))
            {
                var granted = Consent(document);
                list.Add(new AudienceMember(UserId.Parse(document.UserId), [.. channels.Where(granted.Allows)]));
            }
        }

        return list.Count > pageSize ? list[..pageSize] : list;
    }

    private static ChannelConsent Consent(PreferencesDocument d) => new(d.InApp, d.Push, d.Whatsapp);

    private static string Field(NotificationChannel channel) => channel switch
    {
        NotificationChannel.InApp => "in_app",
        NotificationChannel.Push => "push",
        NotificationChannel.WhatsApp => "whatsapp",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
