using Shared.Domain.Jobs;

namespace Shared.Domain.Features;

/// <summary>
/// Sends the job of a request's current round (the first: the message id is the request id), so the queue drops a
/// repeat; due at the request's scheduled attempt when that is still ahead. Returns the failure instead of throwing
/// (the request stays pending and the sweep sends it again).
/// </summary>
public sealed class SendFeatureJob(IJobQueue queue, TimeProvider time)
{
    public async Task<Exception?> HandleAsync(FeatureRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var due = request.NextAttemptAt > time.GetUtcNow() ? request.NextAttemptAt : null;
            await queue.SendAsync(request.Queue, [FeatureJob.For(request).ToMessage(due)], cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }
}
