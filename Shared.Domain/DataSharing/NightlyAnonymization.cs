using System.Text.RegularExpressions;
using Shared.Domain.Features;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;

namespace Shared.Domain.DataSharing;

/// <summary>
/// The nightly anonymization (a timer): turns one UTC day of activity of users who opted into data sharing into
/// aggregates stored apart from user data. What leaves: metric, a dimension from a closed vocabulary (action types
/// that look like identifiers, feature-request statuses), the day, and counts. What never leaves: user ids, emails,
/// extension ids, addresses, request text. Contributors are counted through pseudonyms drawn at random for this batch
/// only (not derived from user ids, discarded afterwards). Groups with fewer than k contributors are suppressed.
/// A day is done once per tenant: rerunning it changes nothing.
/// </summary>
public sealed partial class NightlyAnonymization(IDataSharingStore sharing, IUsageLogStore usage, IFeatureRequestStore features, IInsightStore insights, AnonymizationOptions options)
{
    public const string UsageMetric = "usage";
    public const string FeatureRequestMetric = "feature_requests";
    public const string ActiveUsersMetric = "active_users";
    public const string OtherDimension = "other";

    public async Task<AnonymizationReport> RunAsync(Tenant tenant, DateOnly day, CancellationToken cancellationToken)
    {
        if (await insights.IsDayDoneAsync(tenant.Id, day, cancellationToken))
        {
            return new AnonymizationReport(day, AlreadyDone: true, 0, 0, 0);
        }

        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var groups = new Dictionary<(string Metric, string Dimension), Group>();
        var users = 0;
        Shared.Domain.Common.UserId? after = null;
        while (true)
        {
            var batch = await sharing.ListOptedInAsync(tenant.Id, after, options.BatchSize, cancellationToken);
            foreach (var userId in batch)
            {
                var pseudonym = Guid.NewGuid(); // random per batch: nothing links it to the user id
                var active = false;
                foreach (var record in await usage.ListForUserBetweenAsync(tenant.Id, userId, from, to, cancellationToken))
                {
                    Add(groups, UsageMetric, $"{SafeDimension(record.ActionType)}:{record.Outcome.ToString().ToLowerInvariant()}", pseudonym);
                    active = true;
                }

                foreach (var request in await features.ListCreatedBetweenAsync(tenant.Id, userId, from, to, cancellationToken))
                {
                    Add(groups, FeatureRequestMetric, request.Status.ToString().ToLowerInvariant(), pseudonym);
                    active = true;
                }

                if (active)
                {
                    Add(groups, ActiveUsersMetric, "all", pseudonym);
                    users++;
                }
            }

            if (batch.Count < options.BatchSize)
            {
                break;
            }

            after = batch[^1];
        }

        var rows = groups
            .Where(g => g.Value.Contributors.Count >= options.K)
            .OrderBy(g => g.Key.Metric, StringComparer.Ordinal).ThenBy(g => g.Key.Dimension, StringComparer.Ordinal)
            .Select(g => new InsightRow(tenant.Id, day, g.Key.Metric, g.Key.Dimension, g.Value.Events, g.Value.Contributors.Count))
            .ToList();
        await insights.SaveDayAsync(tenant.Id, day, rows, cancellationToken);
        return new AnonymizationReport(day, AlreadyDone: false, users, rows.Count, groups.Count - rows.Count);
    }

    /// <summary>Action types are client-chosen labels: only identifier-like ones are kept as they are; anything else is "other".</summary>
    public static string SafeDimension(string actionType) => IdentifierLike().IsMatch(actionType) ? actionType : OtherDimension;

    private static void Add(Dictionary<(string, string), Group> groups, string metric, string dimension, Guid pseudonym)
    {
        if (!groups.TryGetValue((metric, dimension), out var group))
        {
            group = new Group();
            groups[(metric, dimension)] = group;
        }

        group.Events++;
        group.Contributors.Add(pseudonym);
    }

    [GeneratedRegex("^[a-z][a-z_]{0,39}$")]
    private static partial Regex IdentifierLike();

    private sealed class Group
    {
        public int Events { get; set; }

        public HashSet<Guid> Contributors { get; } = [];
    }
}
