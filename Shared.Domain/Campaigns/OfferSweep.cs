using Shared.Domain.Tenants;

namespace Shared.Domain.Campaigns;

/// <summary>
/// The timer's cleanup of expired offers (lists already hide them at read time; this only frees the store), in
/// bounded rounds so one run never holds the store long.
/// </summary>
public sealed class OfferSweep(IOfferStore store, TimeProvider time)
{
    public const int Round = 200;
    public const int MaxRounds = 50;

    public async Task<int> RunAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var total = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var deleted = await store.DeleteExpiredAsync(tenant.Id, now, Round, cancellationToken);
            total += deleted;
            if (deleted < Round)
            {
                break;
            }
        }

        return total;
    }
}
