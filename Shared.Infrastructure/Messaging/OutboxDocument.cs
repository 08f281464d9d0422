using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Messaging;

/// <summary>A kept message in <c>lookups</c>, partitioned by its hashed recipient (so "latest to X" is one partition's query).</summary>
internal sealed class OutboxDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string Type { get; set; } = "outbox";

    public string? UserId { get; set; }

    public string Recipient { get; set; } = "";

    public string? Subject { get; set; }

    public string Body { get; set; } = "";

    public string? Code { get; set; }

    public long SentAtMs { get; set; }
}
