namespace Functions.Api.DataSharing;

/// <summary>What a release run made.</summary>
public sealed record ReleaseRunResponse(string Day, int Rows, decimal Epsilon, decimal Delta, string Blob);
