using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Shared.Domain.Ai;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// The innermost middleware: turns what the provider's client throws into the domain's <see cref="AiProviderException"/>,
/// transient or not, so ADR 4's retries keep working whatever the client. Transient (another attempt later may
/// succeed): 429, 408, 401 (the key may have been rotated), 5xx, the network, the attempt timeout, an open circuit,
/// each with the provider's Retry-After (seconds or an HTTP date read against the injected clock) where it gave one.
/// Not transient (another attempt would get the same): other 4xx, a missing key, an answer that is not the expected
/// JSON or has no content. Anything else is unexpected and passes through untouched.
/// </summary>
public sealed class ProviderFailureChatClient(IChatClient inner, TimeProvider time, TimeSpan attemptTimeout) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (ClientResultException e) when (e.Status == 0)
        {
            throw new AiProviderException($"The AI provider is unreachable: {e.Message}", transient: true, inner: e);
        }
        catch (ClientResultException e)
        {
            var transient = e.Status is 401 or 408 or 429 || e.Status >= 500;
            throw new AiProviderException($"The AI provider answered {e.Status}: {Truncate(e.Message)}", transient, RetryAfter(e), e);
        }
        catch (HttpRequestException e)
        {
            throw new AiProviderException($"The AI provider is unreachable: {e.Message}", transient: true, inner: e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new AiProviderException($"The AI provider did not answer within {attemptTimeout.TotalSeconds:0.###} s.", transient: true, inner: e);
        }
        catch (BrokenCircuitException e)
        {
            throw new AiProviderException("Calls to the AI provider are paused after repeated failures (circuit open).", transient: true, e.RetryAfter, e);
        }
        catch (SecretNotFoundException e)
        {
            throw new AiProviderException($"The AI API key secret '{e.Name}' is not configured.", transient: false, inner: e);
        }
        catch (Exception e) when (IsUnreadableAnswer(e))
        {
            throw new AiProviderException($"The AI provider's answer is not the expected JSON: {Truncate(e.Message)}", transient: false, inner: e);
        }

        if (string.IsNullOrWhiteSpace(response.Text))
        {
            throw new AiProviderException("The AI provider's answer has no content.", transient: false);
        }

        return response;
    }

    /// <summary>
    /// The provider's client could not read the answer: a parsing failure raised inside the OpenAI, System.ClientModel,
    /// System.Text.Json or Microsoft.Extensions.AI assemblies. The same exception types raised elsewhere are bugs and pass through.
    /// </summary>
    private static bool IsUnreadableAnswer(Exception e) =>
        e is JsonException or FormatException or KeyNotFoundException or ArgumentOutOfRangeException or (InvalidOperationException and not ObjectDisposedException)
        && Origin(e) is { } origin
        && (origin.StartsWith("OpenAI", StringComparison.Ordinal) || origin.StartsWith("Azure.AI.OpenAI", StringComparison.Ordinal) || origin.StartsWith("Microsoft.Extensions.AI", StringComparison.Ordinal)
            || origin is "System.ClientModel" or "System.Text.Json");

    /// <summary>The assembly that raised <paramref name="e"/>, looking past the runtime's own throw helpers.</summary>
    private static string? Origin(Exception e) =>
        new System.Diagnostics.StackTrace(e).GetFrames()
            .Select(f => f.GetMethod()?.Module.Assembly.GetName().Name)
            .FirstOrDefault(name => name is not null and not "System.Private.CoreLib");

    /// <summary>Retry-After as seconds or as an HTTP date (then relative to our clock; a date already past means now).</summary>
    private TimeSpan? RetryAfter(ClientResultException e)
    {
        if (e.GetRawResponse()?.Headers.TryGetValue("Retry-After", out var value) != true || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var now = time.GetUtcNow();
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
