namespace Functions.Api.Campaigns;

/// <summary>The body of <c>POST /campaigns/estimate</c>.</summary>
public sealed class EstimateBody
{
    public List<string?>? PinCodes { get; set; }

    public List<string?>? Channels { get; set; }
}
