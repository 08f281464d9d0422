using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Cosmos;

internal sealed class QueryPage<T>
{
    // The SDK's query stream names the page's array "Documents"; the wire naming policy (snake_case) would look for "documents".
    [JsonPropertyName("Documents")]
    public List<T> Documents { get; set; } = [];
}
