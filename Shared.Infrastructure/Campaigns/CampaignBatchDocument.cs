using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// One batch of a campaign in the campaign's partition: its recipients (user id → channels) and its deliveries
/// (<c>{user}|{channel}</c> → status; a map key exists once, so a delivery is recorded once), and whether it is done.
/// <see cref="Users"/> repeats the recipients' ids as an array, so an erasure finds a customer's batches with an indexed
/// <c>ARRAY_CONTAINS</c> query over the tenant (a map key cannot be queried by a parameter).
/// </summary>
internal sealed class CampaignBatchDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("campaignId")]
    public string CampaignId { get; set; } = "";

    public string Type { get; set; } = "campaign_batch";

    public int Batch { get; set; }

    public Dictionary<string, List<string>> Recipients { get; set; } = [];

    public Dictionary<string, string> Deliveries { get; set; } = [];

    public List<string> Users { get; set; } = [];

    public bool Done { get; set; }

    public static string IdOf(int batch) => "batch-" + batch.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
