namespace Shared.Domain.Campaigns;

/// <summary>What a campaign would reach now and cost: distinct customers, messages and their price (nothing held).</summary>
public sealed record CampaignEstimate(long Audience, long Messages, long CostCents);
