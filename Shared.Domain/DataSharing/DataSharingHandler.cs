using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>The opt-in endpoint's logic.</summary>
public sealed class DataSharingHandler(IDataSharingStore store, TimeProvider time)
{
    public async Task<Result<DataSharingResult>> SetAsync(TenantId tenantId, UserId userId, bool? optIn, int? profitSplit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (optIn is null)
        {
            errors.Add("opt_in", "Required: true or false.");
        }

        var existing = await store.GetAsync(tenantId, userId, cancellationToken);
        var split = profitSplit ?? existing?.ProfitSplit ?? 50;
        if (!DataSharingPreference.AllowedSplits.Contains(split))
        {
            errors.Add("profit_split", "Must be 50 or 100.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        await store.SetAsync(new DataSharingPreference(tenantId, userId, optIn!.Value, split, time.GetUtcNow()), cancellationToken);
        return new DataSharingResult(optIn.Value, split);
    }
}
