using System.Diagnostics.CodeAnalysis;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>The wire names of <see cref="DataSharingEventKind"/> (snake_case), used in requests and in released rows.</summary>
public static class DataSharingEventKinds
{
    private static readonly Dictionary<DataSharingEventKind, string> Names = new()
    {
        [DataSharingEventKind.Visit] = "visit",
        [DataSharingEventKind.FeatureRun] = "feature_run",
        [DataSharingEventKind.FeatureRequest] = "feature_request",
        [DataSharingEventKind.WebSquareInstall] = "websquare_install",
    };

    private static readonly Dictionary<string, DataSharingEventKind> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string Name(DataSharingEventKind kind) =>
        Names.TryGetValue(kind, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a data-sharing event kind.");

    /// <summary>A stored wire name back to its kind; an unknown name is corrupt data, so it throws.</summary>
    public static DataSharingEventKind Parse(string name) =>
        TryParse(name, out var kind) ? kind.Value : throw new FormatException($"'{name}' is not a data-sharing event kind.");

    public static bool TryParse(string? name, [NotNullWhen(true)] out DataSharingEventKind? kind)
    {
        kind = null;
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            kind = found;
        }

        return kind is not null;
    }
}
