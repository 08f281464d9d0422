using System.Text.Json;

namespace Functions.Workers.Invocation;

/// <summary>
/// An httpTrigger's request as the Functions host passes it to a custom handler that does not forward HTTP requests:
/// <c>Data.&lt;binding&gt; = {"Url", "Method", "Query", "Headers", "Params", "Identities", "Body"}</c> (Body only when the
/// request has one). Only what the functions here use is read; the rest may take either of the shapes host versions
/// have sent (Query as an object or as JSON text) and is ignored. The property names are the host's.
/// </summary>
public sealed record HttpTriggerRequest(string Method, string? Url)
{
    /// <summary>The request bound as <paramref name="binding"/>; null when the payload does not hold one.</summary>
    public static HttpTriggerRequest? From(InvocationRequest invocation, string binding)
    {
        if (invocation.Data is null || !invocation.Data.TryGetValue(binding, out var request) || request.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!request.TryGetProperty(nameof(Method), out var method) || method.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(method.GetString()))
        {
            return null;
        }

        var url = request.TryGetProperty(nameof(Url), out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        return new HttpTriggerRequest(method.GetString()!, url);
    }
}
