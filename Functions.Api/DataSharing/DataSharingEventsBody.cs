namespace Functions.Api.DataSharing;

/// <summary>The body of <c>POST /data-sharing/events</c>.</summary>
public sealed class DataSharingEventsBody
{
    public List<DataSharingEventBody?>? Events { get; set; }
}
