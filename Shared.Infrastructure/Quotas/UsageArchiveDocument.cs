using System.Globalization;
using System.Text.Json.Serialization;
using Shared.Domain.Quotas;

namespace Shared.Infrastructure.Quotas;

internal sealed class UsageArchiveDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "usage_archive";

    public string PlanId { get; set; } = "";

    public long PeriodStartMs { get; set; }

    public long PeriodEndMs { get; set; }

    public int Used { get; set; }

    public static string IdFor(UsagePeriod period) => "archive:" + period.Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
