namespace Functions.Api.DataSharing;

/// <summary>The tenant's releases, newest day first.</summary>
public sealed record ReleaseListResponse(IReadOnlyList<ReleaseItemResponse> Items);
