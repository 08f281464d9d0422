namespace Shared.Infrastructure.Jobs;

public sealed class JobQueueOptions
{
    /// <summary>Deliveries before a message is dead-lettered (Service Bus' MaxDeliveryCount).</summary>
    public int MaxDeliveries { get; set; } = 5;
}
