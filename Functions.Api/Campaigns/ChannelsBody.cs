namespace Functions.Api.Campaigns;

/// <summary>Consent per channel in <c>PUT /customers/me/preferences</c>; a channel left out is "no".</summary>
public sealed class ChannelsBody
{
    public bool? InApp { get; set; }

    public bool? Push { get; set; }

    public bool? Whatsapp { get; set; }
}
