using Shared.Domain.Campaigns;

namespace Functions.Api.Campaigns;

/// <summary>
/// A campaign: its status, the audience and messages of its snapshot, what was held, sent, failed (refused, or no
/// sender for the channel) and skipped (consent withdrawn), and, once settled, what was charged and released.
/// </summary>
public sealed record CampaignResponse(
    string Id,
    string Status,
    string? FailureReason,
    string OfferId,
    IReadOnlyList<string> PinCodes,
    IReadOnlyList<string> Channels,
    DateTimeOffset? ScheduledAt,
    long Audience,
    long Messages,
    long HeldCents,
    long Sent,
    long Failed,
    long Skipped,
    long ChargedCents,
    long ReleasedCents,
    bool Settled,
    DateTimeOffset CreatedAt)
{
    public static CampaignResponse From(Campaign c) => new(
        c.Id,
        CampaignChannels.Format(c.Status),
        c.FailureReason,
        c.OfferId,
        c.PinCodes,
        [.. c.Channels.Select(CampaignChannels.Format)],
        c.ScheduledAt,
        c.Audience,
        c.Messages,
        c.HeldCents,
        c.Sent,
        c.Failed,
        c.Skipped,
        c.ChargedCents,
        c.ReleasedCents,
        c.Settled,
        c.CreatedAt);
}
