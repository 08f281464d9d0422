namespace Functions.Api.DataSharing;

/// <summary>One event: a page's host or address (reduced to its registrable domain), a kind from the closed list, and when.</summary>
public sealed class DataSharingEventBody
{
    public string? Site { get; set; }

    public string? Kind { get; set; }

    public DateTimeOffset? At { get; set; }
}
