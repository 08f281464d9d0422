using System.Text.Json.Serialization;
using Shared.Domain.Common;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// A shopkeeper's places for active campaigns (Cosmos DB): the ids of the campaigns admitted under the cap, in a
/// partition of its own of <c>campaigns</c> ([tenantId, <see cref="PartitionOf"/>]: a hash of the shopkeeper's id, never
/// the id itself, and never a campaign id, which starts with <c>cmp_</c>). Changed on its ETag only.
/// </summary>
internal sealed class CampaignSlotsDocument
{
    public const string DocumentId = "campaign_slots";

    public string Id { get; set; } = DocumentId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("campaignId")]
    public string CampaignId { get; set; } = "";

    public string Type { get; set; } = "campaign_slots";

    public List<string> Campaigns { get; set; } = [];

    public static string PartitionOf(UserId shopkeeper) => Keys.Hashed("slots_", shopkeeper.Value);
}
