using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>AskDunzo's Data Sharing Program: a user's consent and the share of profits they chose (50 or 100 %).</summary>
public sealed record DataSharingPreference(TenantId TenantId, UserId UserId, bool OptIn, int ProfitSplit, DateTimeOffset UpdatedAt)
{
    /// <summary>The split of a user who never chose one.</summary>
    public const int DefaultSplit = 50;

    public static readonly IReadOnlyList<int> AllowedSplits = [50, 100];
}
