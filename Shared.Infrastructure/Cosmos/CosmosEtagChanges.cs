using Microsoft.Azure.Cosmos;

namespace Shared.Infrastructure.Cosmos;

/// <summary>The read, change, replace-on-the-ETag-read loop shared by the Cosmos stores.</summary>
public static class CosmosEtagChanges
{
    /// <summary>
    /// Reads document <paramref name="id"/>, asks <paramref name="change"/> for the document to write in its place (null:
    /// nothing to write) and replaces it on the ETag read; another writer first means re-read and redo, at most
    /// <paramref name="maxAttempts"/> times, then an <see cref="InvalidOperationException"/> naming <paramref name="what"/>.
    /// False when the document is missing or nothing was to be written.
    /// </summary>
    public static async Task<bool> ChangeAsync<T>(this Container container, string id, PartitionKey key, Func<T, T?> change, int maxAttempts, string what, CancellationToken cancellationToken)
        where T : class
    {
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var (document, etag) = await container.ReadAsync<T>(id, key, cancellationToken);
            if (document is null || change(document) is not { } next)
            {
                return false;
            }

            if (await container.TryReplaceAsync(next, id, key, etag!, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"{what} changed under {maxAttempts} attempts in a row.");
    }
}
