using System.Text.Json.Serialization;
using Shared.Domain.Notifications;

namespace Shared.Infrastructure.Notifications;

/// <summary>An inbox notification in <c>notifications</c>, in its user's partition; its id is the message's inbox id.</summary>
internal sealed class InboxDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "inbox";

    public string MessageId { get; set; } = "";

    public string CampaignId { get; set; } = "";

    public string OfferId { get; set; } = "";

    public string Text { get; set; } = "";

    public bool Read { get; set; }

    public long CreatedAtMs { get; set; }

    public InboxNotification ToNotification() => new(Id, CampaignId, OfferId, Text, Read, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs));
}
