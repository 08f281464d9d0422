using System.Collections.Concurrent;

namespace Shared.Domain.Accounts;

/// <summary>
/// Counts events per key in fixed windows on the injected clock; <c>threshold</c> events within one window lock the key
/// until <c>lockFor</c> has passed, after which it starts from zero. Bounded: beyond <c>maxKeys</c>, keys neither locked
/// nor inside a live window are dropped first, then arbitrary unlocked ones. Per instance (memory), like the request limits.
/// </summary>
public sealed class FailureCounter(TimeProvider time, int threshold, TimeSpan window, TimeSpan lockFor, int maxKeys)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="key"/> stays locked (zero: not locked).</summary>
    public TimeSpan LockedFor(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return TimeSpan.Zero;
        }

        var now = time.GetUtcNow();
        lock (entry)
        {
            return entry.LockedUntil > now ? entry.LockedUntil - now : TimeSpan.Zero;
        }
    }

    /// <summary>Counts one event; true when this one locked the key.</summary>
    public bool Add(string key)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= maxKeys)
        {
            Trim(now);
        }

        var entry = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now });
        lock (entry)
        {
            if (entry.LockedUntil > now)
            {
                return false;
            }

            if (now - entry.WindowStart >= window)
            {
                entry.WindowStart = now;
                entry.Count = 0;
            }

            entry.Count++;
            if (entry.Count < threshold)
            {
                return false;
            }

            entry.LockedUntil = now + lockFor;
            entry.WindowStart = entry.LockedUntil;
            entry.Count = 0;
            return true;
        }
    }

    /// <summary>Forgets the key (a success clears a pair's failures).</summary>
    public void Reset(string key) => _entries.TryRemove(key, out _);

    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil <= now && now - entry.WindowStart >= window)
            {
                _entries.TryRemove(key, out _);
            }
        }

        foreach (var (key, entry) in _entries)
        {
            if (_entries.Count < maxKeys * 9 / 10)
            {
                break;
            }

            if (entry.LockedUntil <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry
    {
        public int Count { get; set; }

        public DateTimeOffset WindowStart { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
