using Shared.Domain.Tenants;

namespace Shared.Domain.Features;

/// <summary>
/// The pending-job sweeper and reservation expiry (a timer). For each unfinished request untouched for a while:
/// older than the reservation TTL → failed as <c>expired</c>, its use given back; never reserved (the API stopped
/// half-way) → reserved and sent, or failed as <c>quota_exceeded</c>; pending → sent again (the first send may have
/// failed; the queue drops a repeat of a message still queued, and the worker ignores one for a finished request).
/// A request waiting for a scheduled retry is not abandoned: it is left alone until one resend interval after its
/// <see cref="FeatureRequest.NextAttemptAt"/> (the store does not even list it before), and only then is the message of
/// its current round sent again (same message id as the scheduled one, so the queue drops it if that one is still there).
/// Every request it touches gets a new <see cref="FeatureRequest.UpdatedAt"/>, so a rerun or a restart moves on to the rest.
/// </summary>
public sealed class FeatureSweep(IFeatureRequestStore store, ReserveFeatureRequest reserve, SendFeatureJob send, FailFeatureRequest fail, FeatureOptions options, TimeProvider time)
{
    public const int BatchSize = 100;

    public async Task<FeatureSweepReport> RunAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        int resent = 0, reserved = 0, expired = 0, rejected = 0, skipped = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var now = time.GetUtcNow();
            var batch = await store.ListUnfinishedAsync(tenant.Id, now - options.ResendAfter, BatchSize, cancellationToken);
            var fresh = batch.Where(r => seen.Add(r.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var request in fresh)
            {
                if (now - request.CreatedAt >= options.ReservationTtl)
                {
                    expired += await fail.HandleAsync(request, "expired", cancellationToken) ? 1 : 0;
                }
                else if (request.Reservation == ReservationState.Reserving)
                {
                    var held = await reserve.HandleAsync(tenant, request, cancellationToken);
                    if (held.Error?.Code == ReserveFeatureRequest.ConcurrentSubmissionCode)
                    {
                        skipped++; // a retried submission withdrew it meanwhile and gave its use back
                    }
                    else if (!held.IsSuccess)
                    {
                        rejected += await fail.HandleAsync(request, held.Error!.Code, cancellationToken) ? 1 : 0;
                    }
                    else if (await send.HandleAsync(held.Value, cancellationToken) is { } failure)
                    {
                        throw new InvalidOperationException($"Sending feature request {held.Value.Id} failed; it stays pending.", failure);
                    }
                    else
                    {
                        reserved++;
                    }
                }
                else if (request.NextAttemptAt > now - options.ResendAfter)
                {
                    skipped++; // its scheduled retry is not overdue yet
                }
                else if (request.Status == FeatureRequestStatus.Pending)
                {
                    var touched = await store.TryUpdateAsync(request.MarkResent(now), cancellationToken);
                    if (touched is null)
                    {
                        skipped++;
                        continue;
                    }

                    if (await send.HandleAsync(touched, cancellationToken) is { } failure)
                    {
                        throw new InvalidOperationException($"Re-sending feature request {touched.Id} failed; it stays pending.", failure);
                    }

                    resent++;
                }
                else
                {
                    skipped++; // processing: a worker holds its message; the queue redelivers it if that worker died
                }
            }

            if (batch.Count < BatchSize)
            {
                break;
            }
        }

        return new FeatureSweepReport(resent, reserved, expired, rejected, skipped);
    }
}
