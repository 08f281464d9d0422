namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// How one table of a release was made: its (ε, δ), the bound L, the discrete Laplace scale b = L/ε (an exact
/// fraction), the threshold τ, the probability q that a partition with one contributor passes it, and the rows released.
/// All of it is public configuration or derived from the released rows; nothing in it counts the raw data.
/// </summary>
public sealed record ReleaseTableManifest(
    ReleaseTable Table,
    decimal Epsilon,
    decimal Delta,
    int MaxPartitionsPerUser,
    string NoiseScale,
    long Threshold,
    double SingleContributorReleaseProbability,
    int Rows);
