namespace Functions.Api.Ai;

/// <summary>The answer of <c>POST /campaigns/text</c>: the message, the channel's length limit it fits, and whether it came from the cache.</summary>
public sealed record CampaignTextResponse(string Text, int MaxLength, bool Cached);
