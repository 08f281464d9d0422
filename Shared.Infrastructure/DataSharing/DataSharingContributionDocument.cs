using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

/// <summary>"This user's data went into the release of <see cref="Day"/>", in the user's own partition of the users container.</summary>
internal sealed class DataSharingContributionDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = CosmosDataSharingReleaseStore.ContributionType;

    public string Day { get; set; } = "";
}
