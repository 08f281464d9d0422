using Shared.Domain.Common;
using Xunit;

namespace Shared.Domain.Tests.Common;

/// <summary>
/// The keyed-operation memory on its own (quota accounts use it for identify keys, reservations and grants; their
/// behaviour is covered by QuotaAccountTests): replays within the retention, holds kept or given back once, forgetting
/// that never drops an open hold before a plain operation, grants once for good.
/// </summary>
public sealed class KeyedOperationsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly KeyedOperationLimits Limits = new(TimeSpan.FromHours(1), maxRemembered: 3, pruneAbove: 4);

    private static KeyedOperations<int> Empty() => new(Limits, key => key.StartsWith('h'));

    [Fact]
    public void A_key_answers_its_first_result_within_the_retention_and_is_forgotten_after()
    {
        var keys = Empty();
        keys.Record("p1", T0, 7);

        Assert.True(keys.TryGetRecent("p1", T0.AddMinutes(59), out var seen));
        Assert.Equal(7, seen.ResultAfter);
        Assert.False(keys.TryGetRecent("p1", T0.AddHours(1), out _));

        keys.Forget(T0.AddHours(1));
        Assert.False(keys.TryGet("p1", out _));
    }

    [Fact]
    public void A_hold_is_settled_or_released_once_and_then_no_longer_open()
    {
        var keys = Empty();
        keys.Record("h1", T0, 1);
        keys.Record("h2", T0, 2);
        keys.Record("p1", T0, 3);

        Assert.Equal(2, keys.OpenHolds(T0, TimeSpan.FromMinutes(5)));
        Assert.True(keys.Settle("h1"));
        Assert.False(keys.Settle("h1"));
        Assert.True(keys.MarkReleased("h2"));
        Assert.False(keys.MarkReleased("h2"));
        Assert.False(keys.Settle("h2")); // given back: nothing left to keep
        Assert.False(keys.Settle("unknown"));
        Assert.Equal(0, keys.OpenHolds(T0, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Open_holds_count_only_within_their_window()
    {
        var keys = Empty();
        keys.Record("h1", T0, 1);

        Assert.Equal(1, keys.OpenHolds(T0.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.Equal(0, keys.OpenHolds(T0.AddMinutes(5), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Past_the_maximum_plain_operations_and_finished_holds_are_forgotten_before_open_holds()
    {
        var keys = Empty();
        keys.Record("h-open", T0, 1);
        keys.Record("h-done", T0.AddSeconds(1), 2);
        keys.Settle("h-done");
        keys.Record("p1", T0.AddSeconds(2), 3);
        keys.Record("p2", T0.AddSeconds(3), 4); // a fourth key: the oldest that is not an open hold goes

        Assert.Equal(["h-open", "p1", "p2"], keys.Recent.Keys.Order(StringComparer.Ordinal));
        Assert.False(keys.NeedsPruning);
    }

    [Fact]
    public void Restored_memory_above_the_prune_threshold_asks_for_a_rewrite()
    {
        var recent = Enumerable.Range(0, 5).Select(i => KeyValuePair.Create($"p{i}", new RecordedOperation<int>(T0, i)));
        var keys = new KeyedOperations<int>(Limits, _ => false, recent);

        Assert.True(keys.NeedsPruning);
        keys.Forget(T0);
        Assert.False(keys.NeedsPruning);
        Assert.Equal(3, keys.Recent.Count);
    }

    [Fact]
    public void A_grant_applies_once_for_good_whatever_the_time()
    {
        var keys = new KeyedOperations<int>(Limits, _ => false, applied: ["g-old"]);

        Assert.True(keys.TryApplyOnce("g1"));
        Assert.False(keys.TryApplyOnce("g1"));
        Assert.False(keys.TryApplyOnce("g-old"));
        keys.Forget(T0.AddYears(1));
        Assert.False(keys.TryApplyOnce("g1"));
        Assert.Equal(["g-old", "g1"], keys.Applied.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Limits_refuse_nonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedOperationLimits(TimeSpan.Zero, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedOperationLimits(TimeSpan.FromHours(1), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyedOperationLimits(TimeSpan.FromHours(1), 5, 4));
    }
}
