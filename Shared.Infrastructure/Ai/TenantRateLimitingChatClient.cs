using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Shared.Domain.Ai;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// Our per-tenant AI rate limit as chat middleware: a token bucket per tenant in front of the provider, so one tenant
/// cannot spend everyone's capacity (per instance; it sits below the prompt cache, so cache hits do not count). Driven by
/// the injected clock, not by timers: a tenant's bucket holds up to <see cref="AiOptions.RequestsPerMinutePerTenant"/>
/// calls and refills continuously at that rate. A refused call throws <see cref="AiRateLimitExceededException"/> (not a
/// provider failure: nothing was attempted) saying when to come back; refused callers are told return times one token
/// apart, after those already told, so a burst of waiting jobs comes back spread over the time the capacity needs
/// instead of all at the next token. Fairness between one tenant's users comes before this: each user has at most
/// <c>Features:MaxInFlightPerUser</c> requests waiting here at all.
/// </summary>
public sealed class TenantRateLimitingChatClient(IChatClient inner, int requestsPerMinute, TimeProvider time) : DelegatingChatClient(inner)
{
    private readonly ConcurrentDictionary<TenantId, TokenBucket> _buckets = new();
    private readonly int _perMinute = Math.Max(1, requestsPerMinute);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        TakeOrThrow(options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TakeOrThrow(options);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }

    private void TakeOrThrow(ChatOptions? options)
    {
        var tenant = AiCallContext.Tenant(options) ?? throw new InvalidOperationException("An AI call must name its tenant (AiCallContext) so it can be rate limited.");
        var now = time.GetUtcNow();
        var bucket = _buckets.GetOrAdd(tenant, _ => new TokenBucket(_perMinute, TimeSpan.FromMinutes(1), now));
        if (bucket.TryTake(now) is { } retryAfter)
        {
            throw new AiRateLimitExceededException(tenant, retryAfter);
        }
    }

    /// <summary>Credit is counted in ticks (one token = one interval of ticks), so refills are exact at any clock reading.</summary>
    private sealed class TokenBucket(int capacity, TimeSpan period, DateTimeOffset start)
    {
        private readonly Lock _lock = new();
        private readonly long _interval = Math.Max(1, period.Ticks / capacity);
        private long _credit = Math.Max(1, period.Ticks / capacity) * capacity;
        private DateTimeOffset _refilledAt = start;
        private DateTimeOffset _lastPromised = DateTimeOffset.MinValue;

        /// <summary>Null when a token was taken; otherwise how long until the caller should come back.</summary>
        public TimeSpan? TryTake(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (now > _refilledAt)
                {
                    _credit = Math.Min(_interval * capacity, _credit + (now - _refilledAt).Ticks);
                    _refilledAt = now;
                }

                if (_credit >= _interval)
                {
                    _credit -= _interval;
                    return null;
                }

                var slot = now + TimeSpan.FromTicks(_interval - _credit);
                if (_lastPromised > DateTimeOffset.MinValue && slot < _lastPromised + TimeSpan.FromTicks(_interval))
                {
                    slot = _lastPromised + TimeSpan.FromTicks(_interval);
                }

                _lastPromised = slot;
                return slot - now;
            }
        }
    }
}
