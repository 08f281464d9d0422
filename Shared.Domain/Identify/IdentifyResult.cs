using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Quotas;

namespace Shared.Domain.Identify;

public sealed record IdentifyResult(UserId UserId, ConsumeOutcome Outcome, string? UpgradeUrl, AccessToken Token)
{
    public bool CanUse => Outcome.Kind != ConsumeKind.Denied;
}
