using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// A fake clock whose timers fire only when the test moves it (resilience delays and timeouts cost no real time), and
/// which records every delay asked of it, so a test can see that a Retry-After was honoured on the injected clock.
/// </summary>
public sealed class RecordingFakeTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    public ConcurrentQueue<TimeSpan> RequestedDelays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            RequestedDelays.Enqueue(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// Moves the clock in <paramref name="step"/>s while <paramref name="work"/> runs (pausing a moment of real time
    /// between steps so the work can reach its next timer), at most <paramref name="maxSteps"/> times.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work, TimeSpan step, int maxSteps = 2_000)
    {
        for (var i = 0; i < maxSteps && !work.IsCompleted; i++)
        {
            await Task.WhenAny(work, Task.Delay(5));
            if (!work.IsCompleted)
            {
                Advance(step);
            }
        }

        return await work;
    }
}
