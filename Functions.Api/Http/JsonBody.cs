using System.Text.Json;
using Shared.Domain.Common;
using Shared.Infrastructure.Json;

namespace Functions.Api.Http;

/// <summary>
/// Reads a JSON request body with a size cap and turns every way it can be wrong (not JSON, wrong types, too big,
/// wrong media type) into a 4xx <see cref="Error"/> naming the field, instead of the framework's generic 400.
/// </summary>
public static class JsonBody
{
    public const int DefaultMaxBytes = 16 * 1024;

    /// <summary>The body of at most <see cref="DefaultMaxBytes"/>, as most endpoints take it.</summary>
    public static Task<Result<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, DefaultMaxBytes, cancellationToken);

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.");
        }

        var body = await RawBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(maxBytes);
        }

        if (body.Length == 0)
        {
            return new Error(ErrorKind.Validation, "invalid_json", "The request body is empty.");
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, WireJson.Options);
            return value is null ? new Error(ErrorKind.Validation, "invalid_json", "The request body must be a JSON object.") : value;
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            return new Error(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", new Dictionary<string, string[]> { [path[2..]] = ["Has the wrong type."] });
        }
        catch (JsonException)
        {
            return new Error(ErrorKind.Validation, "invalid_json", "The request body is not valid JSON.");
        }
    }

    private static Error TooLarge(int maxBytes) => new(ErrorKind.PayloadTooLarge, "payload_too_large", $"The request body exceeds {maxBytes} bytes.");
}
