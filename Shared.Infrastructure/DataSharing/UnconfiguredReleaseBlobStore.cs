using Shared.Domain.Common;
using Shared.Domain.DataSharing;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// Production with no <c>DataSharing:Export:Provider</c>: every export throws, so the nightly run reports the tenant as
/// failed (and the release stays pending, finished by the first run after the setting is made) instead of writing anywhere.
/// </summary>
public sealed class UnconfiguredReleaseBlobStore : IReleaseBlobStore
{
    public string Kind => "unconfigured";

    public Task WriteOnceAsync(TenantId tenantId, string name, byte[] content, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("DataSharing:Export:Provider is not set: configure AzureBlob with DataSharing:Export:BlobServiceUri (see README).");

    public Task<byte[]?> ReadAsync(TenantId tenantId, string name, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
}
