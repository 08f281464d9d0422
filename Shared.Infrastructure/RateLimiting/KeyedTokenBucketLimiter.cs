using System.Collections.Concurrent;

namespace Shared.Infrastructure.RateLimiting;

/// <summary>
/// One token bucket per key, refilled from the injected <see cref="TimeProvider"/>'s monotonic timestamp: no timer
/// thread and no clock of its own (System.Threading.RateLimiting's limiters replenish by their own Stopwatch and
/// timer, which a test's manual clock cannot move). Each bucket holds up to <c>capacity</c> tokens and gains
/// <c>tokensPerPeriod</c> for every whole <c>period</c> since its last refill; a fixed window is the case
/// tokensPerPeriod = capacity. At most <c>maxKeys</c> buckets are kept: when a new key would exceed that, full buckets
/// (idle callers, indistinguishable from new ones) are dropped first, then arbitrary ones down to nine tenths of the
/// bound, so memory stays bounded under a flood of distinct keys at the price of those callers starting full again.
/// </summary>
public sealed class KeyedTokenBucketLimiter
{
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly int _tokensPerPeriod;
    private readonly long _periodTicks;
    private readonly int _maxKeys;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _trimming = new();

    public KeyedTokenBucketLimiter(TimeProvider time, int capacity, int tokensPerPeriod, TimeSpan period, int maxKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _time = time;
        _capacity = capacity;
        _tokensPerPeriod = tokensPerPeriod;
        _periodTicks = Math.Max(1, (long)((Int128)period.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond));
        _maxKeys = maxKeys;
    }

    /// <summary>Buckets currently kept (for tests of the memory bound).</summary>
    public int TrackedKeys => _buckets.Count;

    /// <summary>Takes one token from the key's bucket; when it is empty, says how long until the next refill.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        while (true)
        {
            var now = _time.GetTimestamp();
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count >= _maxKeys)
                {
                    Trim(now);
                }

                bucket = _buckets.GetOrAdd(key, _ => new Bucket(_capacity, now));
            }

            lock (bucket)
            {
                if (bucket.Dropped)
                {
                    continue; // trimmed between the lookup and the lock: take the key's new bucket
                }

                Refill(bucket, now);
                if (bucket.Tokens > 0)
                {
                    bucket.Tokens--;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }

                retryAfter = _time.GetElapsedTime(now, bucket.RefilledAt + _periodTicks);
                return false;
            }
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = now - bucket.RefilledAt;
        if (elapsed < 0)
        {
            bucket.RefilledAt = now; // a clock set back (only a test's can be): count the period from here, add nothing
            return;
        }

        var periods = elapsed / _periodTicks;
        if (periods > 0)
        {
            bucket.Tokens = (int)Math.Min(_capacity, bucket.Tokens + (Math.Min(periods, _capacity) * (long)_tokensPerPeriod));
            bucket.RefilledAt += periods * _periodTicks;
        }
    }

    private void Trim(long now)
    {
        lock (_trimming)
        {
            if (_buckets.Count < _maxKeys)
            {
                return; // another caller trimmed meanwhile
            }

            foreach (var (key, bucket) in _buckets)
            {
                lock (bucket)
                {
                    Refill(bucket, now);
                    if (bucket.Tokens >= _capacity)
                    {
                        Drop(key, bucket);
                    }
                }
            }

            var target = _maxKeys - Math.Max(1, _maxKeys / 10);
            foreach (var (key, bucket) in _buckets)
            {
                if (_buckets.Count <= target)
                {
                    break;
                }

                lock (bucket)
                {
                    Drop(key, bucket);
                }
            }
        }
    }

    private void Drop(string key, Bucket bucket)
    {
        bucket.Dropped = true;
        _buckets.TryRemove(KeyValuePair.Create(key, bucket));
    }

    private sealed class Bucket(int tokens, long refilledAt)
    {
        public int Tokens { get; set; } = tokens;

        public long RefilledAt { get; set; } = refilledAt;

        public bool Dropped { get; set; }
    }
}
