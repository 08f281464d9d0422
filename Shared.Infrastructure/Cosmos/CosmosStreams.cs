using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Cosmos;

/// <summary>Small helpers over the stream API, so that expected misses and conflicts are status codes, not exceptions.</summary>
public static class CosmosStreams
{
    public static async Task<(T? Document, string? ETag)> ReadAsync<T>(this Container container, string id, PartitionKey partitionKey, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        return (await DeserializeAsync<T>(response, cancellationToken), response.Headers.ETag);
    }

    /// <summary>Creates the document; false when one with that id exists already.</summary>
    public static async Task<bool> TryCreateAsync<T>(this Container container, T document, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        using var payload = Serialize(document);
        using var response = await container.CreateItemStreamAsync(payload, partitionKey, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>Replaces the document if it still has <paramref name="etag"/>; false when it changed meanwhile.</summary>
    public static async Task<bool> TryReplaceAsync<T>(this Container container, T document, string id, PartitionKey partitionKey, string etag, CancellationToken cancellationToken)
    {
        using var payload = Serialize(document);
        using var response = await container.ReplaceItemStreamAsync(payload, id, partitionKey, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public static async Task<T> DeserializeAsync<T>(ResponseMessage response, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<T>(response.Content, WireJson.Options, cancellationToken)
            ?? throw new InvalidOperationException("Cosmos returned an empty document.");

    public static MemoryStream Serialize<T>(T document) => new(JsonSerializer.SerializeToUtf8Bytes(document, WireJson.Options));
}
