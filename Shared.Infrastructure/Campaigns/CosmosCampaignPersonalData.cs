using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers, preferences and campaigns as personal data (Cosmos DB): a customer's preferences and likes are deleted, a
/// shopkeeper's offers deleted and campaigns kept de-identified (financial records). Known gap: a customer's id inside
/// campaign batch documents (recipient and delivery maps) is not yet de-identified in this store.
/// </summary>
public sealed class CosmosCampaignPersonalData(CosmosDatabase db) : IPersonalDataStore
{
    private readonly CosmosPersonalData _data = new(db, "campaigns",
    [
        new(CosmosContainers.Users, "campaign_preferences", ["campaign_preferences"]),
        new(CosmosContainers.Offers, "offer_like", ["offer_like"], UserField: "user_id"),
        new(CosmosContainers.Offers, "offer", ["offer"], UserField: "shopkeeper_id"),
        new(CosmosContainers.Campaigns, "campaign", ["campaign"], UserField: "shopkeeper_id", ErasedWithUser: false),
    ]);

    public string Section => _data.Section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _data.ExportAsync(tenantId, userId, cancellationToken);

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _data.EraseAsync(tenantId, userId, cancellationToken);
}
