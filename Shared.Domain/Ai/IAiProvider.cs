using Shared.Domain.Common;

namespace Shared.Domain.Ai;

/// <summary>
/// One generation: the tenant it is for (caching and rate limits are per tenant), the chat messages, and the user it is
/// for when known (our limiter shares a throttled tenant's capacity between its users).
/// </summary>
public sealed record AiPrompt(TenantId TenantId, string System, string User)
{
    public UserId? UserId { get; init; }
}

/// <summary>What the provider produced, and who produced it (so offline output can never pass for a model's).</summary>
public sealed record AiCompletion(string Text, string Provider, string Model, bool FromCache = false);

/// <summary>The AI service behind feature generation: an OpenAI-compatible HTTP API, or the offline provider locally.</summary>
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
