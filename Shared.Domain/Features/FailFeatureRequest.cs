using Shared.Domain.Quotas;

namespace Shared.Domain.Features;

/// <summary>
/// Fails a request for good and gives its use back: the release first (idempotent by the reservation key), then the
/// request; if this stops in between, the expiry sweep repeats both and the release is not applied twice. Used by the
/// worker (a failure another attempt would not fix, or the budget spent) and by the sweep (expired, or never reserved).
/// </summary>
public sealed class FailFeatureRequest(IFeatureRequestStore store, IQuotaStore quotas, TimeProvider time)
{
    /// <summary>False when the request was finished by someone else meanwhile.</summary>
    public async Task<bool> HandleAsync(FeatureRequest request, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (request.IsFinished)
            {
                return false;
            }

            if (request.Reservation is ReservationState.Held or ReservationState.Reserving)
            {
                // Any outcome will do: released now, released before, or nothing to give back (period over, never taken).
                await quotas.ReleaseAsync(request.TenantId, request.UserId, request.ReservationKey, time.GetUtcNow(), cancellationToken);
            }

            if (await store.TryUpdateAsync(request.Fail(reason, time.GetUtcNow()), cancellationToken) is not null)
            {
                return true;
            }

            request = await store.GetAsync(request.TenantId, request.UserId, request.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Feature request {request.Id} disappeared while failing.");
        }

        throw new InvalidOperationException($"Feature request {request.Id} stayed contended while failing.");
    }
}
