using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

public sealed class FeatureOptions
{
    /// <summary>A pending request not picked up after this long is sent again (the send may have failed).</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A request still unfinished this long after it was made fails as <c>expired</c> and its use is given back.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long generation is retried after a transient failure (provider throttled or down), counted from the first
    /// attempt: a retry is not scheduled past it, and the last one lands on its end. Waiting for our own per-tenant rate
    /// limit is not counted. Bounded in any case by <see cref="ReservationTtl"/>.
    /// </summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Generation attempts at most (a guard; normally <see cref="RetryBudget"/> ends the retries first).</summary>
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The delay after the first failed attempt; it doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Feature requests one user may have in flight (pending or processing) at once; beyond it a submission answers 429
    /// <c>too_many_pending</c> with nothing stored or reserved, so one user cannot fill the tenant's AI capacity.
    /// </summary>
    public int MaxInFlightPerUser { get; set; } = 3;

    /// <summary>The in-flight cap as the quota store applies it: a reservation counts until settled, released or older than the reservation TTL.</summary>
    public InFlightLimit InFlightLimit => new(MaxInFlightPerUser, ReservationTtl);

    public int PageSizeDefault { get; set; } = 20;

    public int PageSizeMax { get; set; } = 100;

    /// <summary>Refuses settings that would fail every submission later (checked at start-up).</summary>
    public FeatureOptions Validate()
    {
        if (MaxInFlightPerUser < 1 || ReservationTtl <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Features:MaxInFlightPerUser must be at least 1 (was {MaxInFlightPerUser}) and Features:ReservationTtl positive (was {ReservationTtl}).");
        }

        return this;
    }
}
