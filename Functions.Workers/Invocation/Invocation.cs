using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Functions.Workers.Invocation;

/// <summary>
/// The Functions host's request to a custom handler: trigger and input data by binding name, and metadata.
/// Scalar metadata values arrive JSON-encoded a second time (<c>"MessageId":"\"abc\""</c>, <c>"DeliveryCount":"3"</c>).
/// </summary>
public sealed class InvocationRequest
{
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement>? Data { get; set; }

    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement>? Metadata { get; set; }

    /// <summary>A metadata value as a plain string, however many times it was JSON-encoded.</summary>
    public string? MetadataString(string name)
    {
        if (Metadata is null || !Metadata.TryGetValue(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
        for (var depth = 0; depth < 3 && text is { Length: >= 2 } && text[0] == '"' && text[^1] == '"'; depth++)
        {
            try
            {
                text = JsonSerializer.Deserialize<string>(text);
            }
            catch (JsonException)
            {
                break;
            }
        }

        return text;
    }

    public int? MetadataInt(string name) =>
        int.TryParse(MetadataString(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// The body of a Service Bus message bound as <paramref name="binding"/>: base64 when the binding says
    /// <c>"dataType": "binary"</c>, a JSON string otherwise (possibly holding JSON text), or an object the host parsed.
    /// </summary>
    public string? MessageBody(string binding)
    {
        if (Data is null || !Data.TryGetValue(binding, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return value.GetRawText();
            case JsonValueKind.String:
                var text = value.GetString()!;
                var buffer = new byte[text.Length];
                if (Convert.TryFromBase64String(text, buffer, out var written))
                {
                    try
                    {
                        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
                    }
                    catch (DecoderFallbackException)
                    {
                        return null;
                    }
                }

                // Not base64: a string body, possibly JSON-encoded once more.
                if (text is { Length: >= 2 } && text[0] == '"')
                {
                    try
                    {
                        return JsonSerializer.Deserialize<string>(text);
                    }
                    catch (JsonException)
                    {
                        return text;
                    }
                }

                return text;
            default:
                return null;
        }
    }
}

/// <summary>The custom handler's answer: output bindings, log lines the host writes to its log, and a return value.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse WithLogs(params string[] logs) => new([], logs, null);
}
