using System.Text.Json;

namespace Functions.Workers.Invocation;

/// <summary>
/// Reads the host's invocation payload, at most <see cref="WorkerFunctions.MaxInvocationBytes"/>. Kestrel enforces the
/// same limit (MaxRequestBodySize): a declared Content-Length over it is refused before anything is read, a chunked
/// body once the bytes read pass it (Kestrel then throws a 413 <see cref="BadHttpRequestException"/> from the read).
/// The reader also counts for itself, so the limit holds on servers without Kestrel's (the in-memory test server).
/// Either way the answer is 413, never a 500 and never "malformed".
/// </summary>
public static class InvocationReader
{
    private const int ChunkBytes = 16 * 1024;

    public static async Task<(InvocationRequest? Invocation, bool TooLarge)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength is > WorkerFunctions.MaxInvocationBytes)
        {
            return (null, true);
        }

        byte[] payload;
        try
        {
            payload = await ReadCappedAsync(http.Request.Body, WorkerFunctions.MaxInvocationBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, true);
        }
        catch (PayloadTooLargeException)
        {
            return (null, true);
        }

        try
        {
            return (JsonSerializer.Deserialize<InvocationRequest>(payload), false);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    public static IResult TooLarge() => Results.Json(
        InvocationResponse.WithLogs($"The invocation payload is over {WorkerFunctions.MaxInvocationBytes} bytes."),
        statusCode: StatusCodes.Status413PayloadTooLarge);

    private static async Task<byte[]> ReadCappedAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new PayloadTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed class PayloadTooLargeException : Exception;
}
