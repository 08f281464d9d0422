using System.Globalization;
using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Makes a night's differentially private release from the day's raw events and feature requests of opted-in users.
/// Pure: no I/O, no clock; randomness only from the given <see cref="IRandomSource"/>.
///
/// Per table (<see cref="ReleaseTable"/>): bound each user's contribution (<see cref="ContributionBounder"/>), count
/// distinct users per partition, add exact discrete Laplace noise of scale L/ε (<see cref="DiscreteLaplace"/>), and
/// release a partition only if its noisy count reaches the threshold (<see cref="NoisyThreshold"/>); the released value
/// is that noisy count. Each table is (ε_t, δ_t)-DP for the addition or removal of one user's whole day; the release is
/// (Σε_t, Σδ_t)-DP by basic composition, and that is what the ledger records.
///
/// User ids exist only inside this call, to group a user's contributions; no pseudonym is made, stored or released.
/// Timestamps only select the day (events of other days are ignored); none is released.
/// </summary>
public static class PrivateReleaseBuilder
{
    public static Result<PrivateReleaseResult> Run(
        PrivacyLedger ledger,
        DateOnly day,
        IEnumerable<DataSharingEvent> events,
        IEnumerable<DataSharingFeatureRequest> featureRequests,
        DataSharingPrivacyOptions options,
        IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(featureRequests);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid data-sharing privacy options: {string.Join(" ", problems)}", nameof(options));
        }

        // The ledger decides first: a refused night draws no noise and spends nothing.
        var planned = ledger.Plan(day, options.PerRelease, options.MonthlyBudget);
        if (!planned.IsSuccess)
        {
            return planned.Error!;
        }

        var dayEvents = events.Where(e => OnDay(e.At, day)).ToList();
        var dayRequests = featureRequests.Where(r => OnDay(r.At, day)).ToList();

        var contributions = new Dictionary<ReleaseTable, IEnumerable<(UserId User, Partition Partition)>>
        {
            [ReleaseTable.Sites] = dayEvents.Select(e => (e.UserId, new Partition(e.Site.Value, null, null))),
            [ReleaseTable.SiteCategories] = SiteCategoryPairs(dayEvents, dayRequests),
            [ReleaseTable.Kinds] = dayEvents.Select(e => (e.UserId, new Partition(null, null, DataSharingEventKinds.Name(e.Kind)))),
        };

        var rows = new List<ReleasedCount>();
        var tables = new List<ReleaseTableManifest>();
        foreach (var table in Enum.GetValues<ReleaseTable>())
        {
            var tableOptions = options.For(table);
            var (tableRows, manifest) = ReleaseTableRows(table, tableOptions, contributions[table], random);
            rows.AddRange(tableRows);
            tables.Add(manifest);
        }

        var entry = planned.Value;
        var release = new PrivateRelease(
            new ReleaseManifest(ledger.Tenant, day, entry.ReleaseId, ReleaseManifest.DiscreteLaplaceMechanism, entry.Spend.Epsilon, entry.Spend.Delta, tables, rows.Count),
            rows);
        return new PrivateReleaseResult(release, entry, ledger.Record(entry, options.MonthlyBudget));
    }

    private static (List<ReleasedCount> Rows, ReleaseTableManifest Manifest) ReleaseTableRows(
        ReleaseTable table,
        ReleaseTableOptions options,
        IEnumerable<(UserId User, Partition Partition)> contributions,
        IRandomSource random)
    {
        var bound = options.MaxPartitionsPerUser;
        var kept = ContributionBounder.Bound(contributions, bound, u => u.Value, p => p.OrderKey, random);

        var counts = new Dictionary<Partition, long>();
        foreach (var partitions in kept.Values)
        {
            foreach (var partition in partitions)
            {
                counts[partition] = counts.GetValueOrDefault(partition) + 1;
            }
        }

        var epsilon = PositiveRational.FromDecimal(options.Epsilon, ReleaseTableOptions.MaxEpsilonDecimals);
        var noise = DiscreteLaplace.ForSensitivity(bound, epsilon);
        var threshold = NoisyThreshold.Derive(noise, bound, (double)options.Delta);

        // Partitions are visited in key order so a seeded source reproduces a release exactly.
        var rows = new List<ReleasedCount>();
        foreach (var (partition, count) in counts.OrderBy(c => c.Key.OrderKey, StringComparer.Ordinal))
        {
            var noisy = checked(count + noise.Sample(random));
            if (noisy >= threshold)
            {
                rows.Add(new ReleasedCount(table, partition.Site, partition.Category, partition.Kind, noisy));
            }
        }

        var manifest = new ReleaseTableManifest(
            table,
            options.Epsilon,
            options.Delta,
            bound,
            noise.Scale.ToString(),
            threshold,
            NoisyThreshold.SingleContributorReleaseProbability(noise, threshold),
            rows.Count);
        return (rows, manifest);
    }

    /// <summary>Each user's (site, category) pairs: every site the user was on that day with every category the user requested that day.</summary>
    private static IEnumerable<(UserId User, Partition Partition)> SiteCategoryPairs(List<DataSharingEvent> events, List<DataSharingFeatureRequest> requests)
    {
        var categoriesByUser = requests
            .GroupBy(r => r.UserId)
            .ToDictionary(g => g.Key, g => g.Select(r => FeatureCategories.Name(r.Category)).Distinct(StringComparer.Ordinal).ToList());
        foreach (var userEvents in events.GroupBy(e => e.UserId))
        {
            if (!categoriesByUser.TryGetValue(userEvents.Key, out var categories))
            {
                continue;
            }

            foreach (var site in userEvents.Select(e => e.Site.Value).Distinct(StringComparer.Ordinal))
            {
                foreach (var category in categories)
                {
                    yield return (userEvents.Key, new Partition(site, category, null));
                }
            }
        }
    }

    private static bool OnDay(DateTimeOffset at, DateOnly day) => DateOnly.FromDateTime(at.UtcDateTime) == day;

    private readonly record struct Partition(string? Site, string? Category, string? Kind)
    {
        public string OrderKey => string.Create(CultureInfo.InvariantCulture, $"{Site}\u0001{Category}\u0001{Kind}");
    }
}
