namespace Shared.Domain.Jobs;

/// <summary>A delivered message, leased to one receiver until <see cref="LeasedUntil"/>.</summary>
public sealed record LeasedJob(string Queue, string MessageId, string Body, int DeliveryCount, string LeaseToken, DateTimeOffset LeasedUntil);
