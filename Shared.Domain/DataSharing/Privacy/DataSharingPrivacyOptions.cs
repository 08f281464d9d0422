namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// The differential-privacy configuration of the nightly release (section <c>DataSharing:Privacy</c>). The defaults and
/// why they were chosen: docs/decisions/0007-differentially-private-releases.md. A release costs the sum of its tables'
/// (ε, δ) (basic composition); a tenant's releases within one calendar month (UTC) may together cost at most the
/// monthly budget.
/// </summary>
public sealed class DataSharingPrivacyOptions
{
    public const string SectionName = "DataSharing:Privacy";

    public ReleaseTableOptions Sites { get; set; } = new() { Epsilon = 0.4m, Delta = 0.00000004m, MaxPartitionsPerUser = 3 };

    public ReleaseTableOptions SiteCategories { get; set; } = new() { Epsilon = 0.4m, Delta = 0.00000004m, MaxPartitionsPerUser = 3 };

    public ReleaseTableOptions Kinds { get; set; } = new() { Epsilon = 0.2m, Delta = 0.00000002m, MaxPartitionsPerUser = 2 };

    /// <summary>ε a tenant's releases may spend per calendar month (UTC): one release a day for 31 days at the defaults.</summary>
    public decimal MonthlyEpsilon { get; set; } = 31m;

    /// <summary>δ a tenant's releases may spend per calendar month (UTC).</summary>
    public decimal MonthlyDelta { get; set; } = 0.0000031m;

    public ReleaseTableOptions For(ReleaseTable table) => table switch
    {
        ReleaseTable.Sites => Sites,
        ReleaseTable.SiteCategories => SiteCategories,
        ReleaseTable.Kinds => Kinds,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a release table."),
    };

    /// <summary>What one release costs under basic composition of its three tables.</summary>
    public PrivacySpend PerRelease =>
        new(Sites.Epsilon + SiteCategories.Epsilon + Kinds.Epsilon, Sites.Delta + SiteCategories.Delta + Kinds.Delta);

    public PrivacySpend MonthlyBudget => new(MonthlyEpsilon, MonthlyDelta);

    /// <summary>Every problem with the configuration, for start-up validation; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var table in Enum.GetValues<ReleaseTable>())
        {
            (For(table) ?? new ReleaseTableOptions()).Validate($"{SectionName}:{table}", problems);
        }

        if (problems.Count == 0 && !PerRelease.FitsWithin(MonthlyBudget))
        {
            problems.Add($"{SectionName}: the monthly budget ({MonthlyBudget}) is smaller than one release ({PerRelease}); nothing could ever be released.");
        }

        return problems;
    }
}
