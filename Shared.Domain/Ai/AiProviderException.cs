namespace Shared.Domain.Ai;

/// <summary>The provider failed. <see cref="RetryAfter"/> is set when it asked us to come back later (rate limits).</summary>
public sealed class AiProviderException(string message, bool transient, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A later attempt may succeed (throttling, 5xx, timeouts); false for answers that will not change (bad request, malformed answer).</summary>
    public bool Transient { get; } = transient;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
