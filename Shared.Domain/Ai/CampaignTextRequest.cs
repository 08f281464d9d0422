namespace Shared.Domain.Ai;

/// <summary>The body of <c>POST /campaigns/text</c>: what is on offer, how to say it, in which language and for which channel.</summary>
public sealed record CampaignTextRequest(string? Product, long? Discount, string? Tone, string? Language, string? Channel);
