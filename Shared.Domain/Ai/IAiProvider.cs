using Shared.Domain.Common;

namespace Shared.Domain.Ai;

/// <summary>One generation: the tenant it is for (caching and rate limits are per tenant) and the chat messages.</summary>
public sealed record AiPrompt(TenantId TenantId, string System, string User);

/// <summary>What the provider produced, and who produced it (so offline output can never pass for a model's).</summary>
public sealed record AiCompletion(string Text, string Provider, string Model, bool FromCache = false);

/// <summary>
/// The AI service behind feature generation. Implemented over a Microsoft.Extensions.AI <c>IChatClient</c> pipeline
/// (tenant prompt cache, our rate limit, OpenTelemetry, the OpenAI / Azure OpenAI / offline client); the domain keeps
/// this port so it names the tenant as a type and stays free of the chat abstraction.
/// </summary>
public interface IAiProvider
{
    /// <summary>
    /// Generates a completion; throws <see cref="AiProviderException"/> when the provider fails, and
    /// <see cref="AiRateLimitExceededException"/> when our own per-tenant limit says to wait.
    /// </summary>
    Task<AiCompletion> CompleteAsync(AiPrompt prompt, CancellationToken cancellationToken);
}

/// <summary>The provider failed. <see cref="RetryAfter"/> is set when it asked us to come back later (rate limits).</summary>
public sealed class AiProviderException(string message, bool transient, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A later attempt may succeed (throttling, 5xx, timeouts); false for answers that will not change (bad request, malformed answer).</summary>
    public bool Transient { get; } = transient;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
