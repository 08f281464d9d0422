namespace Shared.Domain.Campaigns;

/// <summary>A campaign as a client asked for it (unchecked).</summary>
public sealed record CampaignInput(string? OfferId, IReadOnlyList<string?>? PinCodes, IReadOnlyList<string?>? Channels, DateTimeOffset? ScheduledAt, string? Text);
