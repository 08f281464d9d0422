namespace Shared.Domain.DataSharing;

/// <summary>One submitted event as the client sent it: unparsed, so every problem can be reported per item.</summary>
public sealed record DataSharingEventInput(string? Site, string? Kind, DateTimeOffset? At);
