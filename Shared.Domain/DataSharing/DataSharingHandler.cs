using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>
/// The opt-in endpoint's logic. Opting out purges the user's raw events at once (those no release has used yet: a
/// release deletes the events it used), after the preference is stored, so no new event is accepted meanwhile. An event
/// accepted by a submission that read the opt-in just before the opt-out landed can still be written after the purge;
/// it is never counted (a release reads only users opted in at its run) and the retention sweep deletes it.
/// A failed purge fails the request (500 is the host's); repeating the opt-out purges again.
/// </summary>
public sealed class DataSharingHandler(IDataSharingStore store, IDataSharingEventStore events, TimeProvider time)
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
        if (!optIn.Value)
        {
            await events.DeleteUserAsync(tenantId, userId, cancellationToken);
        }

        return new DataSharingResult(optIn.Value, split);
    }
}
