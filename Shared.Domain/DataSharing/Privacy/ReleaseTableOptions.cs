namespace Shared.Domain.DataSharing.Privacy;

/// <summary>One table's share of a release's privacy budget and its contribution bound L.</summary>
public sealed class ReleaseTableOptions
{
    /// <summary>ε spent on this table's counts (exact decimal, at most 6 decimal places).</summary>
    public decimal Epsilon { get; set; }

    /// <summary>δ spent on this table's partition selection.</summary>
    public decimal Delta { get; set; }

    /// <summary>L: partitions of this table one user may count in per day (a user's extra partitions are dropped at random).</summary>
    public int MaxPartitionsPerUser { get; set; }

    public const decimal MaxEpsilon = 10m;
    public const int MaxEpsilonDecimals = 6;
    public const decimal MaxDelta = 0.5m;
    public const int MaxPartitionsLimit = 100;

    public void Validate(string name, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Epsilon <= 0 || Epsilon > MaxEpsilon || (Epsilon / 1.000000000000000000000000000000000m).Scale > MaxEpsilonDecimals)
        {
            problems.Add($"{name}:Epsilon must be in (0, {MaxEpsilon}] with at most {MaxEpsilonDecimals} decimal places (was {Epsilon}).");
        }

        if (Delta <= 0 || Delta >= MaxDelta)
        {
            problems.Add($"{name}:Delta must be in (0, {MaxDelta}) (was {Delta}).");
        }

        if (MaxPartitionsPerUser < 1 || MaxPartitionsPerUser > MaxPartitionsLimit)
        {
            problems.Add($"{name}:MaxPartitionsPerUser must be in [1, {MaxPartitionsLimit}] (was {MaxPartitionsPerUser}).");
        }
    }
}
