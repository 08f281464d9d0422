using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shared.Domain.Common;
using Shared.Domain.Jobs;

namespace Shared.Domain.Campaigns;

/// <summary>
/// A message of the campaign-dispatch queue: the dispatch of a campaign (<see cref="Batch"/> null; id
/// <c>{campaign}:dispatch</c>) or the delivery of one of its batches (id <c>{campaign}:batch-{n}</c>). The ids are
/// deterministic, so sending one twice is one message where the queue detects duplicates, and handling one twice does
/// the work once either way.
/// </summary>
public sealed record CampaignJob(TenantId TenantId, string CampaignId, int? Batch)
{
    public string MessageId => Batch is { } n ? $"{CampaignId}:batch-{n.ToString(CultureInfo.InvariantCulture)}" : $"{CampaignId}:dispatch";

    public JobMessage ToMessage(DateTimeOffset? notBefore = null, string? messageId = null) =>
        new(messageId ?? MessageId, JsonSerializer.Serialize(new Body { TenantId = TenantId.Value, CampaignId = CampaignId, Batch = Batch }), notBefore);

    public static bool TryParse(string? text, [NotNullWhen(true)] out CampaignJob? job)
    {
        job = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            var body = JsonSerializer.Deserialize<Body>(text);
            if (body is null || !Common.TenantId.TryParse(body.TenantId, out var tenant) || body.CampaignId is not { Length: > 4 and <= 40 } id || !id.StartsWith("cmp_", StringComparison.Ordinal) || body.Batch < 0)
            {
                return false;
            }

            job = new CampaignJob(tenant.Value, id, body.Batch);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class Body
    {
        [JsonPropertyName("tenant_id")]
        public string? TenantId { get; set; }

        [JsonPropertyName("campaign_id")]
        public string? CampaignId { get; set; }

        [JsonPropertyName("batch")]
        public int? Batch { get; set; }
    }
}
