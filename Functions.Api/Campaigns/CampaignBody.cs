namespace Functions.Api.Campaigns;

/// <summary>The body of <c>POST /campaigns</c>.</summary>
public sealed class CampaignBody
{
    public string? OfferId { get; set; }

    public List<string?>? PinCodes { get; set; }

    public List<string?>? Channels { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    public string? Text { get; set; }
}
