namespace Shared.Domain.Common;

/// <summary>
/// How much a <see cref="KeyedOperations{TResult}"/> remembers: keys older than <see cref="Retention"/> are forgotten;
/// after a rewrite at most <see cref="MaxRemembered"/> are kept; a store that adds keys without rewriting (one patch)
/// rewrites once more than <see cref="PruneAbove"/> have piled up, so the memory never holds more than that.
/// </summary>
public sealed record KeyedOperationLimits
{
    public KeyedOperationLimits(TimeSpan retention, int maxRemembered, int pruneAbove)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRemembered);
        ArgumentOutOfRangeException.ThrowIfLessThan(pruneAbove, maxRemembered);
        Retention = retention;
        MaxRemembered = maxRemembered;
        PruneAbove = pruneAbove;
    }

    public TimeSpan Retention { get; }

    public int MaxRemembered { get; }

    public int PruneAbove { get; }
}
