using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Features;

/// <summary>
/// Submits an AskDunzo feature request: stores it first (pending), then reserves one use under the request's key
/// (<see cref="ReserveFeatureRequest"/>), then sends the job (<see cref="SendFeatureJob"/>); a failed send leaves it
/// pending for the resend sweep, so nothing is lost. A retried POST with the same idempotency key answers with the
/// first request, finishing it if it was cut short.
/// </summary>
public sealed class SubmitFeatureRequest(IFeatureRequestStore store, ReserveFeatureRequest reserve, SendFeatureJob send, TimeProvider time)
{
    public async Task<Result<SubmittedFeatureRequest>> HandleAsync(Tenant tenant, UserId userId, FeatureRequestText text, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var request = FeatureRequest.Submit(tenant.Id, userId, text, idempotencyKey, time.GetUtcNow());
        if (!await store.TryCreateAsync(request, cancellationToken))
        {
            var existing = await store.GetAsync(tenant.Id, userId, request.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Feature request {request.Id} exists but cannot be read.");
            if (existing.RequestText != text.Value)
            {
                return new Error(ErrorKind.Conflict, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
            }

            if (existing.Reservation != ReservationState.Reserving)
            {
                return new SubmittedFeatureRequest(existing, Repeated: true, SendFailure: null);
            }

            request = existing;
        }

        var reserved = await reserve.HandleAsync(tenant, request, cancellationToken);
        if (!reserved.IsSuccess)
        {
            await store.DeleteAsync(tenant.Id, userId, request.Id, cancellationToken);
            return reserved.Error!;
        }

        return new SubmittedFeatureRequest(reserved.Value, Repeated: false, await send.HandleAsync(reserved.Value, cancellationToken));
    }
}
