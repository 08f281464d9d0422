using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

/// <summary>A raw data-sharing event in the user's own partition of the users container (so erasure and export find it).</summary>
internal sealed class DataSharingEventDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = CosmosDataSharingEventStore.Type;

    public string Site { get; set; } = "";

    public string Kind { get; set; } = "";

    public long AtMs { get; set; }

    /// <summary>The UTC day of <see cref="AtMs"/>, so a night's events are one equality filter.</summary>
    public string Day { get; set; } = "";
}
