namespace Shared.Domain.Features;

/// <summary>What one run of the feature-request sweep did for one tenant.</summary>
public sealed record FeatureSweepReport(int Resent, int Reserved, int Expired, int Rejected, int Skipped);
