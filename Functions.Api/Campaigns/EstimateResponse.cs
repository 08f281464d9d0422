namespace Functions.Api.Campaigns;

/// <summary>What a campaign would reach now: distinct customers, messages, and their price (nothing is held).</summary>
public sealed record EstimateResponse(long Audience, long Messages, long CostCents);
