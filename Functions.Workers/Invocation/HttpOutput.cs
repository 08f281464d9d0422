using System.Text.Json.Serialization;

namespace Functions.Workers.Invocation;

/// <summary>
/// The value of an <c>http</c> output binding in <c>Outputs</c>, as the host reads it when it does not forward HTTP
/// requests: <c>statusCode</c>, <c>body</c>, <c>headers</c>. The host applies the status and headers only when a body
/// is present, and reads the status code as a string (it also parses numbers), so it is sent as one.
/// </summary>
public sealed record HttpOutput(
    [property: JsonPropertyName("statusCode")] string StatusCode,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("headers")] IReadOnlyDictionary<string, string> Headers);
