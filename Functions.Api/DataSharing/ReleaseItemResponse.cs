namespace Functions.Api.DataSharing;

/// <summary>One release in the admin listing; <see cref="DownloadUrl"/> (the proxying endpoint) is null until the export is done.</summary>
public sealed record ReleaseItemResponse(string Day, int Rows, decimal Epsilon, decimal Delta, string Blob, string? DownloadUrl, string? ManifestUrl);
