namespace Functions.Api.Ai;

/// <summary>The body of <c>POST /campaigns/text</c>.</summary>
public sealed class CampaignTextBody
{
    public string? Product { get; set; }

    public long? Discount { get; set; }

    public string? Tone { get; set; }

    public string? Language { get; set; }

    public string? Channel { get; set; }
}
