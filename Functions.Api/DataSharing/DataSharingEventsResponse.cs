namespace Functions.Api.DataSharing;

/// <summary>How many events were stored.</summary>
public sealed record DataSharingEventsResponse(int Accepted);
