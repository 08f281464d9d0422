using System.Text.Json.Serialization;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Wallets;

namespace Shared.Infrastructure.Campaigns;

/// <summary>A campaign as both stores keep it (SQLite: a JSON column; Cosmos DB: the campaign's document in its partition).</summary>
internal sealed class CampaignDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("campaignId")]
    public string CampaignId { get; set; } = "";

    public string Type { get; set; } = "campaign";

    public string ShopkeeperId { get; set; } = "";

    public string OfferId { get; set; } = "";

    public List<string> PinCodes { get; set; } = [];

    public List<string> Channels { get; set; } = [];

    public string Text { get; set; } = "";

    public long? ScheduledAtMs { get; set; }

    public string Status { get; set; } = "";

    public string? FailureReason { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public int? BatchCount { get; set; }

    public long Audience { get; set; }

    public long Messages { get; set; }

    public long CostCents { get; set; }

    public long[]? Prices { get; set; }

    public long HeldCents { get; set; }

    public long Sent { get; set; }

    public long Failed { get; set; }

    public long Skipped { get; set; }

    public long ChargedCents { get; set; }

    public long ReleasedCents { get; set; }

    public bool Settled { get; set; }

    public string? RequestHash { get; set; }

    /// <summary>
    /// Cosmos DB only: created but not yet admitted under its shopkeeper's cap (<see cref="CosmosCampaignStore"/>); such a
    /// document reads as no campaign. Absent (false) on every admitted one, and in the embedded store.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pending { get; set; }

    public static CampaignDocument From(Campaign c) => new()
    {
        Id = c.Id,
        TenantId = c.TenantId.Value,
        CampaignId = c.Id,
        ShopkeeperId = c.ShopkeeperId.Value,
        OfferId = c.OfferId,
        PinCodes = [.. c.PinCodes],
        Channels = [.. c.Channels.Select(CampaignChannels.Format)],
        Text = c.Text,
        ScheduledAtMs = c.ScheduledAt?.ToUnixTimeMilliseconds(),
        Status = CampaignChannels.Format(c.Status),
        FailureReason = c.FailureReason,
        CreatedAtMs = c.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAtMs = c.UpdatedAt.ToUnixTimeMilliseconds(),
        BatchCount = c.BatchCount,
        Audience = c.Audience,
        Messages = c.Messages,
        CostCents = c.CostCents,
        Prices = c.Prices is { } p ? [p.InApp, p.Push, p.WhatsApp] : null,
        HeldCents = c.HeldCents,
        Sent = c.Sent,
        Failed = c.Failed,
        Skipped = c.Skipped,
        ChargedCents = c.ChargedCents,
        ReleasedCents = c.ReleasedCents,
        Settled = c.Settled,
        RequestHash = c.RequestHash,
    };

    public Campaign ToCampaign(string revision) => new(
        CampaignId,
        Domain.Common.TenantId.Parse(TenantId),
        UserId.Parse(ShopkeeperId),
        OfferId,
        PinCodes,
        [.. Channels.Select(CampaignChannels.Parse)],
        Text,
        ScheduledAtMs is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null,
        CampaignChannels.ParseStatus(Status),
        FailureReason,
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
        revision)
    {
        BatchCount = BatchCount,
        Audience = Audience,
        Messages = Messages,
        CostCents = CostCents,
        Prices = Prices is [var inApp, var push, var whatsApp] ? new CampaignPrices(inApp, push, whatsApp) : null,
        HeldCents = HeldCents,
        Sent = Sent,
        Failed = Failed,
        Skipped = Skipped,
        ChargedCents = ChargedCents,
        ReleasedCents = ReleasedCents,
        Settled = Settled,
        RequestHash = RequestHash,
    };
}
