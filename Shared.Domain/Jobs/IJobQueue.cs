namespace Shared.Domain.Jobs;

/// <summary>The queues jobs travel on. Service Bus has no priorities, so paid work has its own queue that is read first.</summary>
public static class QueueNames
{
    public const string AiGenerationPriority = "ai-generation-priority";
    public const string AiGenerationStandard = "ai-generation-standard";
    public const string CampaignDispatch = "campaign-dispatch";

    public static readonly IReadOnlyList<string> All = [AiGenerationPriority, AiGenerationStandard, CampaignDispatch];
}

/// <summary>A message to send: <see cref="MessageId"/> makes sending idempotent (duplicate detection).</summary>
public sealed record JobMessage(string MessageId, string Body, DateTimeOffset? NotBefore = null);

/// <summary>A delivered message, leased to one receiver until <see cref="LeasedUntil"/>.</summary>
public sealed record LeasedJob(string Queue, string MessageId, string Body, int DeliveryCount, string LeaseToken, DateTimeOffset LeasedUntil);

/// <summary>Sends jobs (Service Bus over REST in Azure; the embedded queue locally).</summary>
public interface IJobQueue
{
    /// <summary>Sends the messages; a message id already sent to the queue is not sent twice.</summary>
    Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken);
}

/// <summary>
/// Receiving, for the embedded queue only (in Azure the Functions host receives from Service Bus): a lease that
/// expires makes the message visible again; after <c>maxDeliveries</c> a message is dead-lettered.
/// </summary>
public interface IJobReceiver
{
    /// <summary>Leases the next visible message of the first queue (in order) that has one.</summary>
    Task<LeasedJob?> ReceiveAsync(IReadOnlyList<string> queuesInPriorityOrder, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Removes a handled message; false when the lease was lost (it expired and someone else has it).</summary>
    Task<bool> CompleteAsync(LeasedJob job, CancellationToken cancellationToken);

    /// <summary>Gives a message back after a failed attempt (visible again after <paramref name="delay"/>), or dead-letters it when it has had its deliveries.</summary>
    Task<bool> AbandonAsync(LeasedJob job, TimeSpan delay, string reason, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeasedJob>> ListDeadLettersAsync(string queue, int max, CancellationToken cancellationToken);
}
