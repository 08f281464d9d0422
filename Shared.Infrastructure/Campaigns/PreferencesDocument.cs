using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Campaigns;

/// <summary>A customer's campaign preferences, in the customer's partition [tenantId, userId] of <c>users</c>.</summary>
internal sealed class PreferencesDocument
{
    public const string DocumentId = "campaign_preferences";

    public string Id { get; set; } = DocumentId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "campaign_preferences";

    public List<string> PinCodes { get; set; } = [];

    public bool InApp { get; set; }

    public bool Push { get; set; }

    public bool Whatsapp { get; set; }

    public long UpdatedAtMs { get; set; }
}
