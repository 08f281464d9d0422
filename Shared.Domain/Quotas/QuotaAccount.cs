using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>
/// A user's usage counter for their plan's allowance. The period rolls over exactly at its boundary whenever
/// the next request arrives, so no reset job is needed for correctness. Stores apply <see cref="TryConsume"/>
/// atomically: the common case as one conditional increment (see <see cref="CanConsumeWithoutRollover"/>),
/// the rest as a read followed by a write conditional on the version read. What the account remembers of keyed calls
/// (identify replays, reservations settled or released, bonus grants) is a <see cref="KeyedOperations{TResult}"/>
/// whose result is the period's use count right after the call.
/// </summary>
public sealed class QuotaAccount
{
    /// <summary>How long a request key is remembered.</summary>
    public static readonly TimeSpan RequestKeyRetention = TimeSpan.FromHours(24);

    /// <summary>
    /// At most this many keys are kept after a rewrite; beyond it the oldest are forgotten first, reservations still in
    /// flight last. The bound keeps the Cosmos account document small (its size is what every write of it costs).
    /// </summary>
    public const int MaxRememberedKeys = 64;

    /// <summary>
    /// A store that adds keys without rewriting the account (Cosmos' one-patch consumption) rewrites it once more than
    /// this many have piled up, back down to <see cref="MaxRememberedKeys"/>: the largest the key memory ever gets.
    /// </summary>
    public const int PruneAbove = 80;

    /// <summary>The limits of every account's key memory.</summary>
    public static readonly KeyedOperationLimits KeyLimits = new(RequestKeyRetention, MaxRememberedKeys, PruneAbove);

    private readonly KeyedOperations<int> _keys;

    private QuotaAccount(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, UsagePeriod period, int used, KeyedOperations<int> keys, int bonusUses = 0)
    {
        BonusUses = bonusUses;
        TenantId = tenantId;
        UserId = userId;
        PlanId = planId;
        Allowance = allowance;
        Anchor = anchor;
        Period = period;
        Used = used;
        _keys = keys;
    }

    public TenantId TenantId { get; }

    public UserId UserId { get; }

    public PlanId PlanId { get; private set; }

    public Allowance Allowance { get; private set; }

    /// <summary>The billing anchor monthly periods start from (the subscription's start; account creation for free plans).</summary>
    public DateTimeOffset Anchor { get; private set; }

    public UsagePeriod Period { get; private set; }

    public int Used { get; private set; }

    /// <summary>Extra uses per period on top of the plan's limit (referral perks); kept across plan changes.</summary>
    public int BonusUses { get; private set; }

    /// <summary>The keys of the bonus grants applied (each grant counts once).</summary>
    public IReadOnlyCollection<string> Grants => _keys.Applied;

    /// <summary>The plan's limit plus the bonus; null when unlimited.</summary>
    public int? Limit => Allowance.Limit is { } limit ? limit + BonusUses : null;

    /// <summary>The remembered keys (stored ids, see <see cref="RequestKey.Hash"/>) with the use count each answered.</summary>
    public IReadOnlyDictionary<string, RecordedOperation<int>> RecentRequests => _keys.Recent;

    public static QuotaAccount Open(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now) =>
        new(tenantId, userId, planId, allowance, anchor, UsagePeriod.Containing(now, allowance.Period, anchor), 0, NewKeys([], []));

    /// <summary>Rebuilds an account from storage; keys in a form this version does not write (unkinded keys of earlier versions) are dropped.</summary>
    public static QuotaAccount Restore(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, UsagePeriod period, int used, IEnumerable<KeyValuePair<string, RecordedOperation<int>>> recent, int bonusUses = 0, IEnumerable<string>? grants = null) =>
        new(tenantId, userId, planId, allowance, anchor, period, used, NewKeys(recent.Where(r => RequestKey.TryFromHash(r.Key, out _)), grants ?? []), bonusUses);

    /// <summary>Reservations are the holds of the key memory (stored ids start with the kind's letter, see <see cref="RequestKey"/>).</summary>
    public static bool IsReservationKey(string storedKey) => storedKey.StartsWith('r');

    private static KeyedOperations<int> NewKeys(IEnumerable<KeyValuePair<string, RecordedOperation<int>>> recent, IEnumerable<string> grants) =>
        new(KeyLimits, IsReservationKey, recent, grants);

    /// <summary>
    /// True when a use can be taken by simply incrementing <see cref="Used"/>: the stored period is current, something
    /// is left and the key is new to this period (unseen, or recorded in an earlier period). Stores turn exactly this
    /// into their conditional-update predicate.
    /// </summary>
    public bool CanConsumeWithoutRollover(DateTimeOffset now, RequestKey? key) =>
        Period.Contains(now) && (Allowance.IsUnlimited || Used < Limit) && (key is null || !_keys.TryGet(key.Value.Hash, out var seen) || seen.At < Period.Start);

    public QuotaStatus StatusAt(DateTimeOffset now) =>
        Period.Contains(now)
            ? new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses)
            : new QuotaStatus(PlanId, Allowance, 0, UsagePeriod.Containing(now, Allowance.Period, Anchor), BonusUses);

    /// <summary>
    /// Identify's consumption: one use if one is left. A key (identify kind only) makes a repeat within
    /// <see cref="RequestKeyRetention"/> and the same period a replay answering the first count; a key recorded in an
    /// earlier period is new in this one, so no answer given in one period lets work run in the next without a use.
    /// </summary>
    public ConsumeOutcome TryConsume(DateTimeOffset now, RequestKey? key)
    {
        if (key is { Kind: not RequestKeyKind.Identify })
        {
            throw new ArgumentException("Only identify keys are consumed this way; reservations use TryReserve.", nameof(key));
        }

        if (key is { } k && IsReplay(k, now, out var seen))
        {
            return new ConsumeOutcome(ConsumeKind.Replayed, new QuotaStatus(PlanId, Allowance, seen.ResultAfter, Period, BonusUses));
        }

        RollOverIfEnded(now);
        if (!Allowance.IsUnlimited && Used >= Limit)
        {
            return new ConsumeOutcome(ConsumeKind.Denied, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
        }

        Used++;
        if (key is { } newKey)
        {
            _keys.Record(newKey.Hash, now, Used);
        }

        return new ConsumeOutcome(ConsumeKind.Allowed, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
    }

    /// <summary>
    /// A feature request's reservation: one use held under the request's key (reservation kind only), unless nothing
    /// is left or the user already holds <see cref="InFlightLimit.MaxPerUser"/> reservations that are neither settled
    /// nor released nor older than <see cref="InFlightLimit.Window"/> (so a settle that never arrived frees its slot by
    /// itself). A repeat in the same period is a replay; a reservation given back, or taken in an earlier period, is
    /// spent: reserving under its key again takes a new use.
    /// </summary>
    public ReserveOutcome TryReserve(DateTimeOffset now, RequestKey key, InFlightLimit limit)
    {
        RequireReservation(key);
        if (IsReplay(key, now, out var seen) && !seen.Released)
        {
            return new ReserveOutcome(ReserveKind.Replayed, new QuotaStatus(PlanId, Allowance, seen.ResultAfter, Period, BonusUses));
        }

        RollOverIfEnded(now);
        if (!Allowance.IsUnlimited && Used >= Limit)
        {
            return new ReserveOutcome(ReserveKind.QuotaExceeded, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
        }

        if (InFlight(now, limit.Window) >= limit.MaxPerUser)
        {
            return new ReserveOutcome(ReserveKind.TooManyPending, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
        }

        Used++;
        _keys.Record(key.Hash, now, Used);
        return new ReserveOutcome(ReserveKind.Reserved, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
    }

    /// <summary>Reservations held now: neither settled nor released, taken less than <paramref name="window"/> ago.</summary>
    public int InFlight(DateTimeOffset now, TimeSpan window) => _keys.OpenHolds(now, window);

    /// <summary>
    /// Marks the reservation under <paramref name="key"/> kept for good (its job succeeded): the use stays consumed and the
    /// reservation no longer counts as in flight. False when there is nothing to settle (unknown, settled or released before).
    /// </summary>
    public bool Settle(RequestKey key)
    {
        RequireReservation(key);
        return _keys.Settle(key.Hash);
    }

    /// <summary>
    /// Moves the account to another plan (a subscription started, changed or ended). The allowance and billing anchor
    /// change now; when that changes the counting window, counting starts afresh in the new window. Applying the same
    /// change twice changes nothing (webhooks are redelivered). Returns whether anything changed.
    /// </summary>
    public bool ChangePlan(PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now)
    {
        if (PlanId == planId && Allowance == allowance && Anchor == anchor)
        {
            return false;
        }

        var period = UsagePeriod.Containing(now, allowance.Period, anchor);
        if (period != Period)
        {
            Used = 0;
        }

        PlanId = planId;
        Allowance = allowance;
        Anchor = anchor;
        Period = period;
        return true;
    }

    /// <summary>Adds <paramref name="uses"/> bonus uses per period once per <paramref name="grantKey"/>; false when that grant was applied before.</summary>
    public bool Grant(string grantKey, int uses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(uses);
        if (!_keys.TryApplyOnce(grantKey))
        {
            return false;
        }

        BonusUses += uses;
        return true;
    }

    /// <summary>
    /// Gives back the use reserved under <paramref name="key"/> (a reservation that was not used, e.g. a failed AI job),
    /// once: the key remembers that it was released. A use from an earlier period is not given back: its counter has
    /// rolled over. Only reservations can be released; an identify key never gives a use back.
    /// </summary>
    public ReleaseOutcome Release(RequestKey key, DateTimeOffset now)
    {
        RequireReservation(key);
        if (!_keys.TryGet(key.Hash, out var use))
        {
            return ReleaseOutcome.Unknown;
        }

        if (use.Released)
        {
            return ReleaseOutcome.AlreadyReleased;
        }

        _keys.MarkReleased(key.Hash);
        if (!Period.Contains(now) || !Period.Contains(use.At))
        {
            // Nothing to give back, but the reservation is over all the same: it no longer counts as in flight.
            return ReleaseOutcome.PeriodEnded;
        }

        Used = Math.Max(0, Used - 1);
        return ReleaseOutcome.Released;
    }

    /// <summary>
    /// The quota reset sweep: when the stored period has ended, moves the account to the period containing
    /// <paramref name="now"/> with nothing used and returns the period that ended and its use count (for the archive).
    /// Null when the stored period is still current (nothing to do; so running the sweep again changes nothing).
    /// </summary>
    public (UsagePeriod Ended, int Used)? RollOver(DateTimeOffset now)
    {
        if (Period.Contains(now) || now < Period.Start)
        {
            return null;
        }

        var ended = (Period, Used);
        Period = UsagePeriod.Containing(now, Allowance.Period, Anchor);
        Used = 0;
        return ended;
    }

    /// <summary>True when more keys than <see cref="PruneAbove"/> have piled up, so a store should rewrite the account to drop some.</summary>
    public bool NeedsKeyPruning(DateTimeOffset now) => _keys.NeedsPruning;

    /// <summary>
    /// Drops keys older than the retention window and then, past <see cref="MaxRememberedKeys"/>, the oldest ones:
    /// identify keys and finished reservations first, reservations still held last (so a burst of identify calls cannot
    /// push a held reservation out and free its in-flight slot or lose its release).
    /// </summary>
    public void ForgetOldKeys(DateTimeOffset now) => _keys.Forget(now);

    /// <summary>A repeat: the key holds a use recorded within the retention window and in the period current at <paramref name="now"/>.</summary>
    private bool IsReplay(RequestKey key, DateTimeOffset now, out RecordedOperation<int> seen) =>
        _keys.TryGetRecent(key.Hash, now, out seen)
        && (Period.Contains(now) ? Period : UsagePeriod.Containing(now, Allowance.Period, Anchor)).Contains(seen.At);

    private void RollOverIfEnded(DateTimeOffset now)
    {
        if (!Period.Contains(now))
        {
            Period = UsagePeriod.Containing(now, Allowance.Period, Anchor);
            Used = 0;
        }
    }

    private static void RequireReservation(RequestKey key)
    {
        if (key.Kind != RequestKeyKind.Reservation)
        {
            throw new ArgumentException("Only reservation keys can be reserved, settled or released.", nameof(key));
        }
    }
}
