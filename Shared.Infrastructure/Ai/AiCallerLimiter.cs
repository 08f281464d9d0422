using System.Collections.Concurrent;
using Shared.Domain.Ai;
using Shared.Infrastructure.RateLimiting;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// Each user's fair share of the AI endpoints (<c>/ai/generate</c> and <c>/campaigns/text</c> together), per instance,
/// before the tenant-wide AI rate limit in the AI pipeline: a token bucket per (tenant, user) refilled by the injected
/// clock (<see cref="AiGenerationOptions.PerUserPerMinute"/>), and at most <see cref="AiGenerationOptions.MaxInFlightPerUser"/>
/// of their calls running at once, so one user cannot fill the tenant's AI capacity for the others.
/// </summary>
public sealed class AiCallerLimiter(AiGenerationOptions options, TimeProvider time)
{
    private readonly KeyedTokenBucketLimiter _rate = new(time, options.PerUserPerMinute, Math.Max(1, (options.PerUserPerMinute + 5) / 6), TimeSpan.FromSeconds(10), maxKeys: 100_000);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>A lease to dispose when the call ends, or null with <paramref name="refusal"/> saying why and when to come back.</summary>
    public IDisposable? TryEnter(string tenant, string user, out (string Code, string Detail, TimeSpan RetryAfter) refusal)
    {
        var key = tenant + "|" + user;
        refusal = default;
        if (_inFlight.AddOrUpdate(key, 1, (_, n) => n + 1) > options.MaxInFlightPerUser)
        {
            Leave(key);
            refusal = ("too_many_pending", $"At most {options.MaxInFlightPerUser} AI calls may run at once for one user; wait for one to finish.", TimeSpan.FromSeconds(1));
            return null;
        }

        if (!_rate.TryAcquire(key, out var retryAfter))
        {
            Leave(key);
            refusal = ("rate_limited", $"At most {options.PerUserPerMinute} AI calls a minute for one user; slow down.", retryAfter);
            return null;
        }

        return new Lease(this, key);
    }

    private void Leave(string key)
    {
        // Drop the entry at zero so idle users take no memory (a concurrent enter re-adds it).
        if (_inFlight.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0)
        {
            _inFlight.TryRemove(new KeyValuePair<string, int>(key, 0));
        }
    }

    private sealed class Lease(AiCallerLimiter owner, string key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(key);
            }
        }
    }
}
