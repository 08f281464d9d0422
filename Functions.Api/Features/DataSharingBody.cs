namespace Functions.Api.Features;

/// <summary>The body of <c>POST /data-sharing/opt-in</c>.</summary>
public sealed class DataSharingBody
{
    public bool? OptIn { get; set; }

    public int? ProfitSplit { get; set; }
}
