using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>
/// A tenant's release of one UTC day as stored: its privacy spend (the ledger entry), what was exported and where. The
/// exported bytes are kept with it, so an export cut short is finished from the same bytes: the noise of a day is drawn
/// once, never again. <see cref="ExportedAt"/> is null until the dataset is in Blob Storage.
/// </summary>
public sealed record DataSharingReleaseRecord(
    TenantId TenantId,
    DateOnly Day,
    string ReleaseId,
    decimal Epsilon,
    decimal Delta,
    int Rows,
    string Blob,
    byte[] RowsFile,
    byte[] ManifestFile,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExportedAt);
