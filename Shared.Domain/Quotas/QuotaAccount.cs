using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>One use recorded against an idempotency key: when, the period's use count right after it, and whether it was given back.</summary>
public readonly record struct RecordedUse(DateTimeOffset At, int UsedAfter, bool Released = false);

public enum ReleaseOutcome
{
    /// <summary>The use was given back now.</summary>
    Released,

    /// <summary>It was given back before; nothing changed (a repeated release).</summary>
    AlreadyReleased,

    /// <summary>The use belongs to a period that has ended; the counter has moved on, so there is nothing to give back.</summary>
    PeriodEnded,

    /// <summary>No use is remembered under that key (never consumed, or older than the key retention).</summary>
    Unknown,
}

public enum ConsumeKind
{
    /// <summary>One use was consumed now.</summary>
    Allowed,

    /// <summary>The request key was seen before; nothing more was consumed and the first answer stands.</summary>
    Replayed,

    /// <summary>Nothing is left in this period; nothing was consumed.</summary>
    Denied,
}

/// <summary>What a user may still do in the current period, as seen at one instant.</summary>
public sealed record QuotaStatus(PlanId PlanId, Allowance Allowance, int Used, UsagePeriod Period, int BonusUses = 0)
{
    /// <summary>The plan's limit plus the user's bonus uses (referral perks); null when unlimited.</summary>
    public int? Limit => Allowance.Limit is { } limit ? limit + BonusUses : null;

    public int? Remaining => Limit is { } limit ? Math.Max(0, limit - Used) : null;

    /// <summary>80 % or more of a limited allowance is spent (8 of 10).</summary>
    public bool IsLow => Limit is { } limit && (long)Used * 5 >= (long)limit * 4;
}

public sealed record ConsumeOutcome(ConsumeKind Kind, QuotaStatus Status);

/// <summary>
/// A user's usage counter for their plan's allowance. The period rolls over exactly at its boundary whenever
/// the next request arrives, so no reset job is needed for correctness. Stores apply <see cref="TryConsume"/>
/// atomically: the common case as one conditional increment (see <see cref="CanConsumeWithoutRollover"/>),
/// the rest as a read followed by a write conditional on the version read.
/// </summary>
public sealed class QuotaAccount
{
    /// <summary>How long a request key is remembered.</summary>
    public static readonly TimeSpan RequestKeyRetention = TimeSpan.FromHours(24);

    /// <summary>At most this many keys are kept; beyond it the oldest are forgotten first.</summary>
    public const int MaxRememberedKeys = 1000;

    private readonly Dictionary<string, RecordedUse> _recent;
    private readonly HashSet<string> _grants;

    private QuotaAccount(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, UsagePeriod period, int used, Dictionary<string, RecordedUse> recent, int bonusUses = 0, HashSet<string>? grants = null)
    {
        BonusUses = bonusUses;
        _grants = grants ?? new HashSet<string>(StringComparer.Ordinal);
        TenantId = tenantId;
        UserId = userId;
        PlanId = planId;
        Allowance = allowance;
        Anchor = anchor;
        Period = period;
        Used = used;
        _recent = recent;
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
    public IReadOnlyCollection<string> Grants => _grants;

    /// <summary>The plan's limit plus the bonus; null when unlimited.</summary>
    public int? Limit => Allowance.Limit is { } limit ? limit + BonusUses : null;

    public IReadOnlyDictionary<string, RecordedUse> RecentRequests => _recent;

    public static QuotaAccount Open(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now) =>
        new(tenantId, userId, planId, allowance, anchor, UsagePeriod.Containing(now, allowance.Period, anchor), 0, []);

    /// <summary>Rebuilds an account from storage.</summary>
    public static QuotaAccount Restore(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, UsagePeriod period, int used, IEnumerable<KeyValuePair<string, RecordedUse>> recent, int bonusUses = 0, IEnumerable<string>? grants = null) =>
        new(tenantId, userId, planId, allowance, anchor, period, used, new Dictionary<string, RecordedUse>(recent, StringComparer.Ordinal), bonusUses, new HashSet<string>(grants ?? [], StringComparer.Ordinal));

    /// <summary>
    /// True when a use can be taken by simply incrementing <see cref="Used"/>: the stored period is current,
    /// something is left and the key is new. Stores turn exactly this into their conditional-update predicate.
    /// </summary>
    public bool CanConsumeWithoutRollover(DateTimeOffset now, RequestKey? key) =>
        Period.Contains(now) && (Allowance.IsUnlimited || Used < Limit) && (key is null || !_recent.ContainsKey(key.Value.Hash));

    public QuotaStatus StatusAt(DateTimeOffset now) =>
        Period.Contains(now)
            ? new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses)
            : new QuotaStatus(PlanId, Allowance, 0, UsagePeriod.Containing(now, Allowance.Period, Anchor), BonusUses);

    public ConsumeOutcome TryConsume(DateTimeOffset now, RequestKey? key)
    {
        if (key is { } k && _recent.TryGetValue(k.Hash, out var seen) && now - seen.At < RequestKeyRetention)
        {
            return new ConsumeOutcome(ConsumeKind.Replayed, new QuotaStatus(PlanId, Allowance, seen.UsedAfter, Period, BonusUses));
        }

        if (!Period.Contains(now))
        {
            Period = UsagePeriod.Containing(now, Allowance.Period, Anchor);
            Used = 0;
        }

        if (!Allowance.IsUnlimited && Used >= Limit)
        {
            return new ConsumeOutcome(ConsumeKind.Denied, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
        }

        Used++;
        if (key is { } newKey)
        {
            _recent[newKey.Hash] = new RecordedUse(now, Used);
            ForgetOldKeys(now);
        }

        return new ConsumeOutcome(ConsumeKind.Allowed, new QuotaStatus(PlanId, Allowance, Used, Period, BonusUses));
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
        if (!_grants.Add(grantKey))
        {
            return false;
        }

        BonusUses += uses;
        return true;
    }

    /// <summary>
    /// Gives back the use consumed under <paramref name="key"/> (a reservation that was not used, e.g. a failed AI job),
    /// once: the key remembers that it was released. A use from an earlier period is not given back: its counter has rolled over.
    /// </summary>
    public ReleaseOutcome Release(RequestKey key, DateTimeOffset now)
    {
        if (!_recent.TryGetValue(key.Hash, out var use))
        {
            return ReleaseOutcome.Unknown;
        }

        if (use.Released)
        {
            return ReleaseOutcome.AlreadyReleased;
        }

        if (!Period.Contains(now) || !Period.Contains(use.At))
        {
            return ReleaseOutcome.PeriodEnded;
        }

        Used = Math.Max(0, Used - 1);
        _recent[key.Hash] = use with { Released = true };
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

    /// <summary>True when enough stale keys have piled up that a store should rewrite the account to drop them.</summary>
    public bool NeedsKeyPruning(DateTimeOffset now) =>
        _recent.Count > 128 && _recent.Values.Any(r => now - r.At >= RequestKeyRetention);

    /// <summary>Drops keys older than the retention window and, past the cap, the oldest ones.</summary>
    public void ForgetOldKeys(DateTimeOffset now)
    {
        foreach (var (hash, use) in _recent.ToList())
        {
            if (now - use.At >= RequestKeyRetention)
            {
                _recent.Remove(hash);
            }
        }

        if (_recent.Count > MaxRememberedKeys)
        {
            foreach (var (hash, _) in _recent.OrderBy(r => r.Value.At).Take(_recent.Count - MaxRememberedKeys).ToList())
            {
                _recent.Remove(hash);
            }
        }
    }
}
