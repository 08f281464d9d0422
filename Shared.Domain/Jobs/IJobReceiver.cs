namespace Shared.Domain.Jobs;

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
