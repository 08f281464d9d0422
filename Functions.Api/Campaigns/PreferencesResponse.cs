using Shared.Domain.Campaigns;

namespace Functions.Api.Campaigns;

/// <summary>The caller's pin codes and campaign consent.</summary>
public sealed record PreferencesResponse(IReadOnlyList<string> PinCodes, ChannelsResponse Channels)
{
    public static PreferencesResponse From(CustomerPreferences p) => new(p.PinCodes, new ChannelsResponse(p.Channels.InApp, p.Channels.Push, p.Channels.WhatsApp));
}
