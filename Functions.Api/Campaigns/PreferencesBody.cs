namespace Functions.Api.Campaigns;

/// <summary>The body of <c>PUT /customers/me/preferences</c>.</summary>
public sealed class PreferencesBody
{
    public List<string?>? PinCodes { get; set; }

    public ChannelsBody? Channels { get; set; }
}
