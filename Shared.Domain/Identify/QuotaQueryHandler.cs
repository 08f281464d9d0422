using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Identify;

/// <summary>Reads a user's quota without consuming anything.</summary>
public sealed class QuotaQueryHandler(IQuotaStore quotas, TimeProvider time)
{
    public async Task<Result<QuotaStatus>> HandleAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var account = await quotas.GetAsync(tenantId, userId, cancellationToken);
        return account is null
            ? Error.NotFound("user_not_found", "No such user in this tenant.")
            : account.StatusAt(time.GetUtcNow());
    }
}
