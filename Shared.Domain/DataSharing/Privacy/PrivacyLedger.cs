using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// A tenant's privacy ledger: what each release spent. The budget is per calendar month (UTC) of the released day and
/// composes by addition (basic composition), so the month's entries bound what all of that month's releases reveal
/// about any one user together. Immutable: <see cref="Record"/> returns the ledger with one more entry; a store persists
/// entries with (tenant, day) unique, so two runs of the same night cannot both spend.
/// </summary>
public sealed class PrivacyLedger
{
    public const string ReleaseExistsCode = "release_exists";
    public const string BudgetExhaustedCode = "privacy_budget_exhausted";

    private readonly IReadOnlyDictionary<DateOnly, PrivacyLedgerEntry> _byDay;

    public PrivacyLedger(TenantId tenant, IEnumerable<PrivacyLedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Tenant = tenant;
        var byDay = new Dictionary<DateOnly, PrivacyLedgerEntry>();
        foreach (var entry in entries)
        {
            if (!byDay.TryAdd(entry.Day, entry))
            {
                throw new ArgumentException($"The ledger has two entries for {entry.Day:yyyy-MM-dd}.", nameof(entries));
            }
        }

        _byDay = byDay;
        Entries = [.. byDay.Values.OrderBy(e => e.Day)];
    }

    public static PrivacyLedger Empty(TenantId tenant) => new(tenant, []);

    public TenantId Tenant { get; }

    public IReadOnlyList<PrivacyLedgerEntry> Entries { get; }

    public PrivacyLedgerEntry? Find(DateOnly day) => _byDay.GetValueOrDefault(day);

    /// <summary>What releases of days in the calendar month of <paramref name="day"/> have spent.</summary>
    public PrivacySpend SpentInMonthOf(DateOnly day) =>
        Entries.Where(e => e.Day.Year == day.Year && e.Day.Month == day.Month).Aggregate(PrivacySpend.Zero, (sum, e) => sum + e.Spend);

    /// <summary>
    /// Whether <paramref name="day"/> may be released at <paramref name="cost"/>: the entry to record, or a conflict.
    /// A day already in the ledger is refused (<see cref="ReleaseExistsCode"/>): its noise was drawn once and is never
    /// drawn again, since a second draw of the same counts would let the two be averaged and leak more than was spent.
    /// </summary>
    public Result<PrivacyLedgerEntry> Plan(DateOnly day, PrivacySpend cost, PrivacySpend monthlyBudget)
    {
        if (Find(day) is { } existing)
        {
            return new Error(ErrorKind.Conflict, ReleaseExistsCode, $"The release of {day:yyyy-MM-dd} ({existing.ReleaseId}) was already made; it is not made again.");
        }

        var spent = SpentInMonthOf(day);
        if (!(spent + cost).FitsWithin(monthlyBudget))
        {
            return new Error(
                ErrorKind.Conflict,
                BudgetExhaustedCode,
                $"Releasing {day:yyyy-MM-dd} would spend {cost} on top of {spent} already spent in {day:yyyy-MM}, past the monthly budget of {monthlyBudget}.");
        }

        return new PrivacyLedgerEntry(PrivacyLedgerEntry.ReleaseIdFor(Tenant, day), day, cost);
    }

    /// <summary>The ledger with <paramref name="entry"/> added; recording a day twice or past the budget is a bug, so it throws.</summary>
    public PrivacyLedger Record(PrivacyLedgerEntry entry, PrivacySpend monthlyBudget)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var planned = Plan(entry.Day, entry.Spend, monthlyBudget);
        if (!planned.IsSuccess)
        {
            throw new InvalidOperationException($"Cannot record {entry.ReleaseId}: {planned.Error!.Detail}");
        }

        return new PrivacyLedger(Tenant, [.. Entries, entry]);
    }
}
