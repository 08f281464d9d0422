namespace Functions.Api.DataSharing;

/// <summary>The body of <c>POST /admin/data-sharing/releases</c>: the UTC day to release (yyyy-MM-dd).</summary>
public sealed class ReleaseRunBody
{
    public string? Day { get; set; }
}
