namespace Shared.Domain.DataSharing;

/// <summary>What a run of the release did for one tenant and day.</summary>
public sealed record PrivateReleaseReport(DateOnly Day, int Rows, decimal Epsilon, decimal Delta, string Blob, int Contributors, int EventsDeleted, bool Resumed);
