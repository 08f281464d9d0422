using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Features;

/// <summary>
/// Submits an AskDunzo feature request: stores it first (pending), then reserves one use under the request's key
/// (<see cref="ReserveFeatureRequest"/>), then sends the job (<see cref="SendFeatureJob"/>); a failed send leaves it
/// pending for the resend sweep, so nothing is lost. A retried POST with the same idempotency key answers with the
/// first request, finishing it if it was cut short. A request whose reservation fails is withdrawn only from the version
/// read (<see cref="IFeatureRequestStore.TryDeleteAsync"/>), so one a concurrent same-key submission reserved meanwhile stays.
/// </summary>
public sealed class SubmitFeatureRequest(IFeatureRequestStore store, ReserveFeatureRequest reserve, SendFeatureJob send, TimeProvider time)
{
    /// <summary>
    /// How often a submission creates its request again when a concurrent one with the same key withdrew it between
    /// this one's create and read; each withdrawal needs another caller's failed reservation, so this only bounds a storm.
    /// </summary>
    private const int MaxCreateAttempts = 10;

    public async Task<Result<SubmittedFeatureRequest>> HandleAsync(Tenant tenant, UserId userId, FeatureRequestText text, IdempotencyKey? idempotencyKey, CancellationToken cancellationToken)
    {
        var submitted = FeatureRequest.Submit(tenant.Id, userId, text, idempotencyKey, time.GetUtcNow());
        for (var attempt = 0; attempt < MaxCreateAttempts; attempt++)
        {
            var request = submitted;
            if (!await store.TryCreateAsync(submitted, cancellationToken))
            {
                var existing = await store.GetAsync(tenant.Id, userId, submitted.Id, cancellationToken);
                if (existing is null)
                {
                    continue; // withdrawn by a concurrent same-key submission whose reservation failed: create it again
                }

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
            if (reserved.IsSuccess)
            {
                return new SubmittedFeatureRequest(reserved.Value, Repeated: false, await send.HandleAsync(reserved.Value, cancellationToken));
            }

            if (reserved.Error!.Code == ReserveFeatureRequest.ConcurrentSubmissionCode)
            {
                return reserved.Error;
            }

            // A request created just now carries no store version (the create does not answer one): read the version to
            // withdraw. Only this failure path pays the read.
            var current = request.Version.Length > 0 ? request : await store.GetAsync(tenant.Id, userId, submitted.Id, cancellationToken);
            if (current is null)
            {
                return reserved.Error;
            }

            if (current.Reservation != ReservationState.Reserving)
            {
                return new SubmittedFeatureRequest(current, Repeated: true, SendFailure: null);
            }

            if (await store.TryDeleteAsync(current, cancellationToken))
            {
                return reserved.Error;
            }

            // Not withdrawn because it changed since it was read: a concurrent submission with the same key got its use
            // meanwhile, so this one answers with that request, as a retry would.
            if (await store.GetAsync(tenant.Id, userId, submitted.Id, cancellationToken) is { Reservation: not ReservationState.Reserving } taken)
            {
                return new SubmittedFeatureRequest(taken, Repeated: true, SendFailure: null);
            }

            return reserved.Error;
        }

        return ReserveFeatureRequest.ConcurrentSubmission;
    }
}
