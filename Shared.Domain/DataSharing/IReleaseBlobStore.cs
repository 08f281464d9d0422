using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>
/// Where released datasets go (Azure Blob Storage; locally Azurite or a folder): one container (or folder) per tenant,
/// files written once and never overwritten.
/// </summary>
public interface IReleaseBlobStore
{
    /// <summary>A short name of the adapter for the manifest and logs ("azure-blob", "folder").</summary>
    string Kind { get; }

    /// <summary>
    /// Writes a file unless it exists. An existing file with the same bytes is success (an export retried after a cut);
    /// with other bytes it throws: a written release is never replaced.
    /// </summary>
    Task WriteOnceAsync(TenantId tenantId, string name, byte[] content, CancellationToken cancellationToken);

    /// <summary>The file's bytes, or null when there is no such file.</summary>
    Task<byte[]?> ReadAsync(TenantId tenantId, string name, CancellationToken cancellationToken);
}
