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

        var page = await CosmosQueries.ListAsync<PreferencesDocument>(
            _users,
            AudienceQuery("SELECT TOP @n *", " AND c.userId > @after ORDER BY c.userId", pinCodes, channels).WithParameter("@n", pageSize).WithParameter("@after", after?.Value ?? ""),
            new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) },
            pageSize,
            cancellationToken);
        return [.. page.Select(document =>
        {
            var granted = Consent(document);
            return new AudienceMember(UserId.Parse(document.UserId), [.. channels.Where(granted.Allows)]);
        })];
    }

    public async Task<AudienceCount> CountAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        List<NotificationChannel> distinct = [.. channels.Distinct()];
        if (pinCodes.Count == 0 || distinct.Count == 0)
        {
            return new AudienceCount(0, distinct.ToDictionary(ch => ch, _ => 0L));
        }

        // The audience query's filter, counted in the store (SELECT VALUE COUNT over the tenant's partitions): the
        // customers consenting to any of the channels, and per channel those consenting to it (one channel: the same).
        var perChannel = await Task.WhenAll(distinct.Select(ch => CountAsync(tenantId, pinCodes, [ch], cancellationToken)));
        var customers = distinct.Count == 1 ? perChannel[0] : await CountAsync(tenantId, pinCodes, distinct, cancellationToken);
        return new AudienceCount(customers, distinct.Select((ch, i) => (ch, perChannel[i])).ToDictionary(x => x.ch, x => x.Item2));
    }

    private async Task<long> CountAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        // The SDK combines the partitions' counts; what it yields is summed, so empty or partial pages add up to the count.
        return (await CosmosQueries.ListAsync<long>(_users, AudienceQuery("SELECT VALUE COUNT(1)", "", pinCodes, channels), Keys.TenantPrefix(tenantId), cancellationToken)).Sum();
    }

    /// <summary>
    /// <paramref name="select"/> over the audience: preferences documents in any of the pin codes consenting to any of
    /// the channels, then <paramref name="rest"/>. Pin codes become parameters (@p0..), channels fixed flag names: no
    /// client text is written into the SQL.
    /// </summary>
    private static QueryDefinition AudienceQuery(string select, string rest, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels)
    {
        var pins = string.Join(" OR ", pinCodes.Select((_, i) => $"ARRAY_CONTAINS(c.pin_codes, @p{i})"));
        var consent = string.Join(" OR ", channels.Select(ch => $"c.{CampaignChannels.Format(ch)} = true"));
        var query = new QueryDefinition($"{select} FROM c WHERE c.type = 'campaign_preferences' AND ({pins}) AND ({consent}){rest}");
        for (var i = 0; i < pinCodes.Count; i++)
        {
            query = query.WithParameter($"@p{i}", pinCodes[i]);
        }

        return query;
    }

    private static ChannelConsent Consent(PreferencesDocument d) => new(d.InApp, d.Push, d.Whatsapp);
}
