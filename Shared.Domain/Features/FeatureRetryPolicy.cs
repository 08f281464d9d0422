namespace Shared.Domain.Features;

/// <summary>
/// When a feature request is tried again. After a transient provider failure: exponential backoff with jitter
/// (<see cref="FeatureOptions.RetryFirstDelay"/> doubling up to <see cref="FeatureOptions.RetryMaxDelay"/>), never
/// sooner than the provider's Retry-After, within <see cref="FeatureOptions.RetryBudget"/> from the first attempt and
/// <see cref="FeatureOptions.MaxAttempts"/>. After our own rate limit refused: its Retry-After, without spending any
/// of that budget. Either way never past <see cref="WaitDeadline"/>, so the request finishes before its reservation expires.
/// </summary>
public sealed class FeatureRetryPolicy(FeatureOptions options, Func<double>? random = null)
{
    /// <summary>At most this share of a delay is taken off at random, so requests that failed together come back spread out.</summary>
    public const double JitterFraction = 0.25;

    /// <summary>The shortest wait for our own limit, so a limiter answering "now" cannot make a tight loop of messages.</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The delay after the <paramref name="failedAttempts"/>-th failed attempt before jitter: the first delay doubled per attempt, capped.</summary>
    public TimeSpan NominalDelay(int failedAttempts)
    {
        var doublings = Math.Clamp(failedAttempts, 1, 40) - 1;
        var ticks = options.RetryFirstDelay.Ticks * Math.Pow(2, doublings);
        return ticks >= options.RetryMaxDelay.Ticks ? options.RetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The nominal delay less up to <see cref="JitterFraction"/> of it at random (so never above the cap).</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        var nominal = NominalDelay(failedAttempts);
        return nominal - (nominal * (JitterFraction * Math.Clamp(_random(), 0, 1)));
    }

    /// <summary>
    /// No attempt is scheduled later than this: the sweep expires the request at <see cref="FeatureOptions.ReservationTtl"/>
    /// after its creation, and one sweep interval (<see cref="FeatureOptions.ResendAfter"/>) earlier leaves the last attempt time to finish.
    /// </summary>
    public DateTimeOffset WaitDeadline(FeatureRequest request) => request.CreatedAt + options.ReservationTtl - options.ResendAfter;

    /// <summary>
    /// Attempt number <see cref="FeatureRequest.Attempts"/> of <paramref name="request"/> failed transiently at
    /// <paramref name="now"/>: when to try again, or null when the budget is spent (attempts, time, or a Retry-After
    /// that reaches past it). A backoff that would end past the budget is cut short, so the last attempt lands on its end.
    /// </summary>
    public DateTimeOffset? NextAttemptAfterFailure(FeatureRequest request, DateTimeOffset now, TimeSpan? retryAfter)
    {
        if (request.Attempts >= options.MaxAttempts)
        {
            return null;
        }

        var budgetEnd = (request.RetryBudgetFrom ?? now) + options.RetryBudget;
        var deadline = budgetEnd < WaitDeadline(request) ? budgetEnd : WaitDeadline(request);
        var earliest = now + (retryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.Zero);
        if (now >= deadline || earliest > deadline)
        {
            return null;
        }

        var at = now + Backoff(request.Attempts);
        if (at < earliest)
        {
            at = earliest;
        }

        return at > deadline ? deadline : at;
    }

    /// <summary>Our own rate limit refused the attempt: come back after its <paramref name="retryAfter"/>, or null when that is past <see cref="WaitDeadline"/>.</summary>
    public DateTimeOffset? NextAttemptAfterThrottle(FeatureRequest request, DateTimeOffset now, TimeSpan retryAfter)
    {
        var at = now + (retryAfter > MinimumWait ? retryAfter : MinimumWait);
        return at <= WaitDeadline(request) ? at : null;
    }

    /// <summary>
    /// The delay before a round is sent again for the <paramref name="storeRetry"/>-th time because the store could not be
    /// reached, or null once those delays would add up to more than the retry budget (then the queue's own delivery
    /// count and the sweep take over).
    /// </summary>
    public TimeSpan? StoreRetryDelay(int storeRetry)
    {
        var total = TimeSpan.Zero;
        for (var n = 1; n <= storeRetry; n++)
        {
            total += NominalDelay(n);
            if (total > options.RetryBudget || n > options.MaxAttempts)
            {
                return null;
            }
        }

        return Backoff(storeRetry);
    }
}
