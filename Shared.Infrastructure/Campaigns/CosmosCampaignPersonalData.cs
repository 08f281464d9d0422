using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers, preferences and campaigns as personal data (Cosmos DB): a customer's preferences and likes are deleted, a
/// shopkeeper's offers deleted and campaigns kept de-identified (financial records). A customer's entries in campaign
/// batch documents (recipient, delivery and the <c>users</c> array) are what a shopkeeper was charged for: they are kept
/// under the customer's pseudonym (<see cref="ErasedUserKey.PseudonymOf"/>), as the embedded store keeps its recipient
/// and delivery rows. A batch document holds other customers too, so the export lists only this customer's entries,
/// and the erasure rewrites only them, on the document's ETag (a delivery recorded meanwhile is never lost).
/// </summary>
public sealed class CosmosCampaignPersonalData(CosmosDatabase db) : IPersonalDataStore
{
    private const int MaxAttempts = 50;

    private readonly CosmosPersonalData _data = new(db, "campaigns",
    [
        new(CosmosContainers.Users, "campaign_preferences", ["campaign_preferences"]),
        new(CosmosContainers.Offers, "offer_like", ["offer_like"], UserField: "user_id"),
        new(CosmosContainers.Offers, "offer", ["offer"], UserField: "shopkeeper_id"),
        new(CosmosContainers.Campaigns, "campaign", ["campaign"], UserField: "shopkeeper_id", ErasedWithUser: false),
    ]);

    private readonly Container _campaigns = db.Container(CosmosContainers.Campaigns);

    public string Section => _data.Section;

    public async Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var section = await _data.ExportAsync(tenantId, userId, cancellationToken);
        var records = section.Records.ToList();
        var user = userId.Value;
        foreach (var batch in await BatchesOfAsync(tenantId, user, cancellationToken))
        {
            var number = batch.Batch.ToString(CultureInfo.InvariantCulture);
            records.Add(new PersonalDataRecord("campaign_recipient", new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["campaign_id"] = batch.CampaignId,
                ["user_id"] = user,
                ["batch"] = number,
                ["channels"] = string.Join(',', batch.Recipients.GetValueOrDefault(user) ?? []),
            }));
            foreach (var (key, status) in batch.Deliveries.Where(d => d.Key.StartsWith(user + "|", StringComparison.Ordinal)).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                records.Add(new PersonalDataRecord("campaign_delivery", new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["campaign_id"] = batch.CampaignId,
                    ["user_id"] = user,
                    ["channel"] = key[(user.Length + 1)..],
                    ["batch"] = number,
                    ["status"] = status,
                }));
            }
        }

        return new PersonalDataSection(section.Name, records);
    }

    public async Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var erased = await _data.EraseAsync(tenantId, userId, cancellationToken);
        var user = userId.Value;
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        foreach (var found in await BatchesOfAsync(tenantId, user, cancellationToken))
        {
            erased += await DeIdentifyAsync(new PartitionKeyBuilder().Add(tenantId.Value).Add(found.CampaignId).Build(), found.Id, user, pseudonym, cancellationToken);
        }

        return erased;
    }

    /// <summary>
    /// Moves the customer's recipient entry and deliveries to the pseudonym, conditional on the ETag read (re-read and
    /// redone when the dispatcher recorded deliveries meanwhile). Counts one record per entry moved, as the export lists
    /// them; 0 when the customer is no longer in the document.
    /// </summary>
    private async Task<int> DeIdentifyAsync(PartitionKey key, string id, string user, string pseudonym, CancellationToken cancellationToken)
    {
        var moved = 0;
        var written = await _campaigns.ChangeAsync<CampaignBatchDocument>(
            id,
            key,
            document =>
            {
                moved = 0; // counted afresh on each attempt
                if (!document.Users.Contains(user))
                {
                    return null;
                }

                if (document.Recipients.Remove(user, out var channels))
                {
                    document.Recipients[pseudonym] = channels;
                    moved++;
                }

                document.Users = [.. document.Users.Select(u => u == user ? pseudonym : u)];
                foreach (var (deliveryKey, status) in document.Deliveries.Where(d => d.Key.StartsWith(user + "|", StringComparison.Ordinal)).ToList())
                {
                    document.Deliveries.Remove(deliveryKey);
                    document.Deliveries[pseudonym + deliveryKey[user.Length..]] = status;
                    moved++;
                }

                return document;
            },
            MaxAttempts,
            $"Campaign batch {id} (erasure)",
            cancellationToken);
        return written ? moved : 0;
    }

    /// <summary>The campaign batch documents of the tenant that name the customer (a query over the tenant's partitions).</summary>
    private async Task<List<CampaignBatchDocument>> BatchesOfAsync(TenantId tenantId, string user, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'campaign_batch' AND ARRAY_CONTAINS(c.users, @user)").WithParameter("@user", user);
        return await CosmosQueries.ListAsync<CampaignBatchDocument>(_campaigns, query, Keys.TenantPrefix(tenantId), cancellationToken);
    }
}
