using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// Released datasets in Azure Blob Storage (Azurite locally): one container per tenant, each file uploaded with
/// If-None-Match: * so an existing blob is never overwritten; the storage account's immutability policy (infra) keeps
/// it from being changed or deleted afterwards too.
/// </summary>
public sealed class AzureBlobReleaseStore(BlobServiceClient service) : IReleaseBlobStore
{
    public string Kind => "azure-blob";

    public async Task WriteOnceAsync(TenantId tenantId, string name, byte[] content, CancellationToken cancellationToken)
    {
        var container = service.GetBlobContainerClient(ReleaseContainerNames.For(tenantId));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = name.EndsWith(".jsonl", StringComparison.Ordinal) ? "application/x-ndjson" : "application/json" },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The blob exists: an export retried after a cut finds its own bytes; anything else is refused.
            var existing = await ReadAsync(tenantId, name, cancellationToken);
            if (existing is null || !existing.AsSpan().SequenceEqual(content))
            {
                throw new InvalidOperationException($"Release blob {name} of tenant {tenantId} exists with other content; released blobs are never replaced.", e);
            }
        }
    }

    public async Task<byte[]?> ReadAsync(TenantId tenantId, string name, CancellationToken cancellationToken)
    {
        var blob = service.GetBlobContainerClient(ReleaseContainerNames.For(tenantId)).GetBlobClient(name);
        try
        {
            var result = await blob.DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
