using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.Tests.DataSharing.Privacy;

/// <summary>The exact distinct-user counts (no bounding, no noise), to set a release beside.</summary>
internal sealed class ExactCounts
{
    public Dictionary<string, int> Sites { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Site, string Category), int> SiteCategories { get; } = [];

    public Dictionary<string, int> Kinds { get; } = new(StringComparer.Ordinal);

    public static ExactCounts Of(IReadOnlyList<DataSharingEvent> events, IReadOnlyList<DataSharingFeatureRequest> requests)
    {
        var counts = new ExactCounts();
        foreach (var g in events.GroupBy(e => e.Site.Value))
        {
            counts.Sites[g.Key] = g.Select(e => e.UserId).Distinct().Count();
        }

        foreach (var g in events.GroupBy(e => DataSharingEventKinds.Name(e.Kind)))
        {
            counts.Kinds[g.Key] = g.Select(e => e.UserId).Distinct().Count();
        }

        var categoriesByUser = requests.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => FeatureCategories.Name(r.Category)).Distinct().ToList());
        foreach (var pair in events
            .Where(e => categoriesByUser.ContainsKey(e.UserId))
            .SelectMany(e => categoriesByUser[e.UserId].Select(c => (e.UserId, Key: (e.Site.Value, c))))
            .Distinct()
            .GroupBy(p => p.Key))
        {
            counts.SiteCategories[pair.Key] = pair.Count();
        }

        return counts;
    }
}
