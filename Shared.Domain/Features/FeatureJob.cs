using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shared.Domain.Common;
using Shared.Domain.Jobs;

namespace Shared.Domain.Features;

/// <summary>
/// The queue message for a feature request: only ids. The worker reads everything else from the stored request.
/// <see cref="Round"/> is the request's message round this message belongs to (1: the submission's; each retry or wait
/// the worker schedules is the next round, see <see cref="FeatureRequest.Round"/>); a message of an older round is a
/// duplicate and does nothing. <see cref="StoreRetry"/> counts how often this round was sent again because the store
/// could not be reached. Both are absent from the JSON when at their first value, so messages of the first version
/// (no round) read as round 1 and the first message's body is unchanged.
/// </summary>
public sealed record FeatureJob(TenantId TenantId, UserId UserId, string RequestId, int Round = 1, int StoreRetry = 0)
{
    /// <summary>Far above any real retry schedule: a bound for what a message may claim.</summary>
    public const int MaxRound = 100_000;

    /// <summary>
    /// Deterministic per (request, round, store retry): the queue's duplicate detection drops a second send of the same
    /// message (a crash between scheduling it and completing the current one), while every new round gets a new id
    /// (a retry carrying the original id would be dropped as a duplicate of it).
    /// </summary>
    public string MessageId =>
        (Round <= 1 ? RequestId : RequestId + "-r" + Round.ToString(CultureInfo.InvariantCulture))
        + (StoreRetry > 0 ? "-s" + StoreRetry.ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>The message for the request's current round.</summary>
    public static FeatureJob For(FeatureRequest request) => new(request.TenantId, request.UserId, request.Id, Math.Max(1, request.Round));

    /// <summary>This job as a message, delivered from <paramref name="notBefore"/> on (null: at once).</summary>
    public JobMessage ToMessage(DateTimeOffset? notBefore = null) => new(MessageId, ToJson(), notBefore);

    public string ToJson() => JsonSerializer.Serialize(new Wire
    {
        TenantId = TenantId.Value,
        UserId = UserId.Value,
        RequestId = RequestId,
        Round = Round > 1 ? Round : null,
        StoreRetry = StoreRetry > 0 ? StoreRetry : null,
    });

    public static bool TryParse(string? json, out FeatureJob? job)
    {
        job = null;
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(json);
            if (wire is null || !TenantId.TryParse(wire.TenantId, out var tenant) || !UserId.TryParse(wire.UserId, out var user) || !FeatureRequest.IsWellFormedId(wire.RequestId)
                || wire.Round is < 1 or > MaxRound || wire.StoreRetry is < 0 or > MaxRound)
            {
                return false;
            }

            job = new FeatureJob(tenant.Value, user.Value, wire.RequestId!, wire.Round ?? 1, wire.StoreRetry ?? 0);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class Wire
    {
        [JsonPropertyName("tenant_id")]
        public string? TenantId { get; set; }

        [JsonPropertyName("user_id")]
        public string? UserId { get; set; }

        [JsonPropertyName("request_id")]
        public string? RequestId { get; set; }

        [JsonPropertyName("round")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? Round { get; set; }

        [JsonPropertyName("store_retry")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? StoreRetry { get; set; }
    }
}
