namespace Shared.Domain.DataSharing;

/// <summary>The Data Sharing Program's collection and release settings (section <c>DataSharing</c>; privacy settings: <c>DataSharing:Privacy</c>).</summary>
public sealed class DataSharingOptions
{
    public const string SectionName = "DataSharing";

    /// <summary>Raw events older than this are deleted even if no release used them (a refused or failed night).</summary>
    public int RetentionHours { get; set; } = 48;

    /// <summary>Most events one request may carry.</summary>
    public int MaxEventsPerRequest { get; set; } = 100;

    /// <summary>How far in the future an event's time may be (client clocks drift); later ones are refused.</summary>
    public int MaxClockSkewMinutes { get; set; } = 5;
}
