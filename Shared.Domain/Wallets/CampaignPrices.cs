namespace Shared.Domain.Wallets;

/// <summary>A tenant's price per campaign message and channel, in minor units of its wallet currency.</summary>
public sealed record CampaignPrices(long InApp, long Push, long WhatsApp);
