using System.Text.Json.Serialization;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// A tenant's budget reservations of one calendar month, one document in the insights container (partition
/// [tenantId, "budget:yyyy-MM"]), replaced on its ETag: the check against the month's budget and the new reservation
/// are one conditional write.
/// </summary>
internal sealed class DataSharingBudgetDocument
{
    public string Id { get; set; } = CosmosDataSharingReleaseStore.BudgetId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    /// <summary>The second partition-key level ("budget:yyyy-MM"), beside the days of the release documents.</summary>
    [JsonPropertyName("day")]
    public string Day { get; set; } = "";

    public string Type { get; set; } = CosmosDataSharingReleaseStore.BudgetType;

    public List<DataSharingBudgetEntry> Reservations { get; set; } = [];
}
