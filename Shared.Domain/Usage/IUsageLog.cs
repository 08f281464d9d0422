namespace Shared.Domain.Usage;

/// <summary>Accepts usage records without blocking the caller; they are written in batches.</summary>
public interface IUsageLog
{
    void Record(UsageRecord record);

    /// <summary>Writes everything this instance has queued so far (an erasure flushes before it erases, so nothing queued earlier lands after it).</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
