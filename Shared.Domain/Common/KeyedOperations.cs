namespace Shared.Domain.Common;

/// <summary>
/// What an aggregate remembers of the keyed commands applied to it, so that a repeated command is answered instead of
/// applied again. Two memories:
/// <list type="bullet">
/// <item>recent operations by key, each with the result it answered: a repeat within <see cref="KeyedOperationLimits.Retention"/>
/// is a replay; a hold (its key is one <see cref="IsHoldKey"/> accepts) is later settled (kept) or released (given back), at
/// most once; bounded in age and count, forgetting open holds last, so a burst of plain operations can never push an
/// open hold out and lose its release;</item>
/// <item>grants applied once for good (no retention: a grant must never count twice).</item>
/// </list>
/// Quota accounts use it for identify keys, reservations and bonus grants; a ledger that must apply each keyed entry once
/// (the coming wallets) can use it the same way. It decides nothing about the aggregate's own rules (periods, limits).
/// </summary>
public sealed class KeyedOperations<TResult>
{
    private readonly Dictionary<string, RecordedOperation<TResult>> _recent;
    private readonly HashSet<string> _applied;

    public KeyedOperations(
        KeyedOperationLimits limits,
        Func<string, bool> isHoldKey,
        IEnumerable<KeyValuePair<string, RecordedOperation<TResult>>>? recent = null,
        IEnumerable<string>? applied = null)
    {
        Limits = limits;
        IsHoldKey = isHoldKey;
        _recent = new Dictionary<string, RecordedOperation<TResult>>(recent ?? [], StringComparer.Ordinal);
        _applied = new HashSet<string>(applied ?? [], StringComparer.Ordinal);
    }

    public KeyedOperationLimits Limits { get; }

    /// <summary>Which keys are holds (kept or given back later); the others are plain operations.</summary>
    public Func<string, bool> IsHoldKey { get; }

    public IReadOnlyDictionary<string, RecordedOperation<TResult>> Recent => _recent;

    /// <summary>The keys of the grants applied (each counts once).</summary>
    public IReadOnlyCollection<string> Applied => _applied;

    /// <summary>True when more keys than <see cref="KeyedOperationLimits.PruneAbove"/> have piled up, so a store should rewrite to drop some.</summary>
    public bool NeedsPruning => _recent.Count > Limits.PruneAbove;

    public bool TryGet(string key, out RecordedOperation<TResult> operation) => _recent.TryGetValue(key, out operation);

    /// <summary>The operation recorded under <paramref name="key"/> less than the retention ago.</summary>
    public bool TryGetRecent(string key, DateTimeOffset now, out RecordedOperation<TResult> operation) =>
        _recent.TryGetValue(key, out operation) && now - operation.At < Limits.Retention;

    /// <summary>Records (or records again: a key may start afresh) an operation, then forgets what the limits say.</summary>
    public void Record(string key, DateTimeOffset at, TResult resultAfter)
    {
        _recent[key] = new RecordedOperation<TResult>(at, resultAfter);
        Forget(at);
    }

    /// <summary>A hold neither settled nor released.</summary>
    public bool IsOpenHold(string key, RecordedOperation<TResult> operation) => IsHoldKey(key) && !operation.Released && !operation.Settled;

    /// <summary>Open holds taken less than <paramref name="window"/> before <paramref name="now"/>.</summary>
    public int OpenHolds(DateTimeOffset now, TimeSpan window) => _recent.Count(r => IsOpenHold(r.Key, r.Value) && now - r.Value.At < window);

    /// <summary>Keeps the hold under <paramref name="key"/> for good; false when there is nothing to settle (unknown, settled or released before).</summary>
    public bool Settle(string key)
    {
        if (!_recent.TryGetValue(key, out var operation) || operation.Released || operation.Settled)
        {
            return false;
        }

        _recent[key] = operation with { Settled = true };
        return true;
    }

    /// <summary>Marks the operation under <paramref name="key"/> given back; false when it is unknown or was given back before.</summary>
    public bool MarkReleased(string key)
    {
        if (!_recent.TryGetValue(key, out var operation) || operation.Released)
        {
            return false;
        }

        _recent[key] = operation with { Released = true };
        return true;
    }

    /// <summary>
    /// Drops keys older than the retention and then, past <see cref="KeyedOperationLimits.MaxRemembered"/>, the oldest:
    /// plain operations and finished holds first, open holds last.
    /// </summary>
    public void Forget(DateTimeOffset now)
    {
        foreach (var (key, operation) in _recent.ToList())
        {
            if (now - operation.At >= Limits.Retention)
            {
                _recent.Remove(key);
            }
        }

        if (_recent.Count > Limits.MaxRemembered)
        {
            var oldestFirst = _recent.OrderBy(r => IsOpenHold(r.Key, r.Value) ? 1 : 0).ThenBy(r => r.Value.At).Take(_recent.Count - Limits.MaxRemembered).ToList();
            foreach (var (key, _) in oldestFirst)
            {
                _recent.Remove(key);
            }
        }
    }

    /// <summary>Applies a grant once: false when <paramref name="grantKey"/> was applied before.</summary>
    public bool TryApplyOnce(string grantKey) => _applied.Add(grantKey);
}
