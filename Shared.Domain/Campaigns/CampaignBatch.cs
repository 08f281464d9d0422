namespace Shared.Domain.Campaigns;

/// <summary>One batch of a campaign: its recipients, the deliveries recorded so far, and whether it is finished.</summary>
public sealed record CampaignBatch(int Number, IReadOnlyList<CampaignRecipient> Recipients, IReadOnlyList<CampaignDelivery> Deliveries, bool Done);
