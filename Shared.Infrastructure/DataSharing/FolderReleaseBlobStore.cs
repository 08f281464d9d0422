using Shared.Domain.Common;
using Shared.Domain.DataSharing;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// LOCAL ONLY: released datasets as files under a folder (one sub-folder per tenant), for <c>./run.sh</c> with only the
/// .NET SDK. Files are created with <see cref="FileMode.CreateNew"/> and marked read-only: never overwritten, like the
/// blobs. Refused in Production (registration).
/// </summary>
public sealed class FolderReleaseBlobStore(string root) : IReleaseBlobStore
{
    public string Kind => "folder";

    public async Task WriteOnceAsync(TenantId tenantId, string name, byte[] content, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await file.WriteAsync(content, cancellationToken);
            }

            File.SetAttributes(path, FileAttributes.ReadOnly);
        }
        catch (IOException) when (File.Exists(path))
        {
            var existing = await File.ReadAllBytesAsync(path, cancellationToken);
            if (!existing.AsSpan().SequenceEqual(content))
            {
                throw new InvalidOperationException($"Release file {name} of tenant {tenantId} exists with other content; released files are never replaced.");
            }
        }
    }

    public async Task<byte[]?> ReadAsync(TenantId tenantId, string name, CancellationToken cancellationToken)
    {
        var path = PathOf(tenantId, name);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private string PathOf(TenantId tenantId, string name)
    {
        // Names are made by the release job (day folder + fixed file names), never taken from a request as they are.
        if (name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(name))
        {
            throw new ArgumentException($"Not a release file name: {name}", nameof(name));
        }

        return Path.Combine(root, ReleaseContainerNames.For(tenantId), name);
    }
}
