namespace Shared.Domain.Ai;

/// <summary>A campaign message written for one channel, at most <see cref="MaxLength"/> characters; <see cref="Cached"/> when the tenant's prompt cache answered.</summary>
public sealed record CampaignText(string Text, int MaxLength, bool Cached);
