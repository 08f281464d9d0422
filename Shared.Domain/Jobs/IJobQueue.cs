namespace Shared.Domain.Jobs;

/// <summary>Sends jobs (Service Bus over REST in Azure; the embedded queue locally).</summary>
public interface IJobQueue
{
    /// <summary>Sends the messages; a message id already sent to the queue is not sent twice.</summary>
    Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken);
}
