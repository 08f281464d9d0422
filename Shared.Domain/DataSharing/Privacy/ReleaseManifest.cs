using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>What a dataset file carries beside its rows: whose, which day, how it was protected and what it cost.</summary>
public sealed record ReleaseManifest(
    TenantId Tenant,
    DateOnly Day,
    string ReleaseId,
    string Mechanism,
    decimal Epsilon,
    decimal Delta,
    IReadOnlyList<ReleaseTableManifest> Tables,
    int Rows)
{
    /// <summary>Exact discrete Laplace noise (Canonne, Kamath, Steinke 2020) with noisy-threshold partition selection.</summary>
    public const string DiscreteLaplaceMechanism = "discrete_laplace_noisy_threshold";
}
