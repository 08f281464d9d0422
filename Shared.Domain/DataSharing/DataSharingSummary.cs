namespace Shared.Domain.DataSharing;

/// <summary>A user's view of the Data Sharing Program: consent, chosen split, and how many releases used their data (a count only).</summary>
public sealed record DataSharingSummary(bool OptIn, int ProfitSplit, int ReleasesContributed)
{
    /// <summary>The rule the profit split stands for (README, Data Sharing Program).</summary>
    public const string ProfitSplitRule =
        "When a release is sold, the sale's amount is divided equally among the users whose data went into it; each user is credited profit_split % of their part, rounded down to the minor unit, to their money wallet, and the tenant keeps the rest. Crediting happens when an admin records the sale.";
}
