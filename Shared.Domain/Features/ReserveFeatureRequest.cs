using Shared.Domain.Common;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;

namespace Shared.Domain.Features;

/// <summary>
/// Takes a request's use (idempotent: the reservation key makes a second attempt a replay), marks it held and picks its
/// queue from the plan the use was taken under. Fails with <c>quota_exceeded</c> when no use is left,
/// <c>too_many_pending</c> when the user holds <see cref="FeatureOptions.MaxInFlightPerUser"/> reservations already
/// (both checked in the same atomic write as the use), or <c>user_not_found</c> when the user has no quota account;
/// the request must not run then. When the request is removed after its use was taken (a concurrent submission with
/// the same Idempotency-Key found no use left and withdrew it), the use is given back and the answer is 409
/// <see cref="ConcurrentSubmissionCode"/>, so no use is ever kept without a request. Used by the submission and by the
/// sweep (for a submission cut short).
/// </summary>
public sealed class ReserveFeatureRequest(IFeatureRequestStore store, IQuotaStore quotas, FeatureOptions options, TimeProvider time)
{
    /// <summary>The request was withdrawn by a concurrent submission with the same Idempotency-Key; retrying is safe.</summary>
    public const string ConcurrentSubmissionCode = "concurrent_submission";

    public static Error ConcurrentSubmission { get; } = new(ErrorKind.Conflict, ConcurrentSubmissionCode, "Another submission with the same Idempotency-Key was handled at the same time; retry the request.");

    public async Task<Result<FeatureRequest>> HandleAsync(Tenant tenant, FeatureRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (tenantId, userId, id, key) = (request.TenantId, request.UserId, request.Id, request.ReservationKey);
        var outcome = await QuotaAccounts.ReserveAsync(quotas, tenant, request.UserId, request.ReservationKey, options.InFlightLimit, now, cancellationToken);
        if (QuotaAccounts.Refusal(outcome, $"At most {options.MaxInFlightPerUser} feature requests may be pending at once; wait for one to finish.") is { } refused)
        {
            return refused;
        }

        var queue = IsPaid(tenant, outcome!.Status.PlanId) ? QueueNames.AiGenerationPriority : QueueNames.AiGenerationStandard;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (request.Reservation != ReservationState.Reserving)
            {
                return request;
            }

            if (await store.TryUpdateAsync(request.Reserve(queue, now), cancellationToken) is { } held)
            {
                return held;
            }

            var current = await store.GetAsync(tenantId, userId, id, cancellationToken);
            if (current is null)
            {
                // Withdrawn after its use was taken: give the use back (idempotent by the key) rather than keep a use
                // that no request stands for.
                await quotas.ReleaseAsync(tenantId, userId, key, time.GetUtcNow(), cancellationToken);
                return ConcurrentSubmission;
            }

            request = current;
        }

        throw new InvalidOperationException($"Feature request {request.Id} stayed contended while being reserved.");
    }

    /// <summary>A plan that costs money (any price above zero) gets the priority queue.</summary>
    public static bool IsPaid(Tenant tenant, PlanId planId) =>
        tenant.FindPlan(planId) is { } plan && !plan.IsDefault && (plan.PriceMonthly.MinorUnits > 0 || plan.PriceYearly.MinorUnits > 0 || plan.PriceLifetime.MinorUnits > 0);
}
