namespace Functions.Api.Campaigns;

/// <summary>Consent per channel as answered.</summary>
public sealed record ChannelsResponse(bool InApp, bool Push, bool Whatsapp);
