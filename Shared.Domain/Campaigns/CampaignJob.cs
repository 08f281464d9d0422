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
    /// <summary>How many times this batch was deferred by a provider before this message (0 for the original).</summary>
    public int Deferrals { get; init; }

    /// <summary>How many times this message was put back because the store could not be reached (0 for the original).</summary>
    public int StoreRetries { get; init; }

    public string MessageId => (Batch is { } n ? $"{CampaignId}:batch-{n.ToString(CultureInfo.InvariantCulture)}" : $"{CampaignId}:dispatch")
        + (Deferrals > 0 ? $":deferred-{Deferrals.ToString(CultureInfo.InvariantCulture)}" : string.Empty)
        + (StoreRetries > 0 ? $":store-retry-{StoreRetries.ToString(CultureInfo.InvariantCulture)}" : string.Empty);

    public JobMessage ToMessage(DateTimeOffset? notBefore = null) =>
        new(MessageId, JsonSerializer.Serialize(new Body { TenantId = TenantId.Value, CampaignId = CampaignId, Batch = Batch, Deferrals = Deferrals > 0 ? Deferrals : null, StoreRetries = StoreRetries > 0 ? StoreRetries : null }), notBefore);

    /// <summary>
    /// The copy that carries a deferred batch on: its own id per deferral step (<c>…:deferred-{k+1}</c>), so a redelivery
    /// of this message schedules the same copy once, and the copy's own deferral gets a new id (reusing the id would be
    /// dropped as a duplicate of the message being handled, losing the batch and leaving its cost held).
    /// </summary>
    public JobMessage DeferredCopy(DateTimeOffset notBefore) => (this with { Deferrals = Deferrals + 1 }).ToMessage(notBefore);

    /// <summary>
    /// The copy that carries this message on after the store could not be reached: its own id per retry
    /// (<c>…:store-retry-{k+1}</c>, deterministic for the same reasons as <see cref="DeferredCopy"/>).
    /// </summary>
    public JobMessage StoreRetryCopy(DateTimeOffset notBefore) => (this with { StoreRetries = StoreRetries + 1 }).ToMessage(notBefore);

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
            if (body is null || !Common.TenantId.TryParse(body.TenantId, out var tenant) || !Campaign.IsId(body.CampaignId) || body.Batch < 0)
            {
                return false;
            }

            if (body.Deferrals is < 0 || (body.Deferrals > 0 && body.Batch is null) || body.StoreRetries is < 0)
            {
                return false;
            }

            job = new CampaignJob(tenant.Value, body.CampaignId, body.Batch) { Deferrals = body.Deferrals ?? 0, StoreRetries = body.StoreRetries ?? 0 };
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

        [JsonPropertyName("deferrals")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? Deferrals { get; set; }

        [JsonPropertyName("store_retries")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? StoreRetries { get; set; }
    }
}
