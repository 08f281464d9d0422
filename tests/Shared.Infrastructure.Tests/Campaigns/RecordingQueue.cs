using System.Collections.Concurrent;
using Shared.Domain.Jobs;

namespace Shared.Infrastructure.Tests.Campaigns;

/// <summary>An in-memory queue with duplicate detection by message id (as Service Bus and the embedded queue); can fail its next sends.</summary>
public sealed class RecordingQueue : IJobQueue
{
    private readonly ConcurrentDictionary<string, JobMessage> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<JobMessage> _order = new();

    /// <summary>Sends that throw before anything is sent (a crash between the hold and the fan-out).</summary>
    private int _failNextSends;

    public int FailNextSends { get => _failNextSends; set => _failNextSends = value; }

    public IReadOnlyList<JobMessage> Messages => [.. _order];

    public Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failNextSends) >= 0)
        {
            throw new IOException("Injected: the queue is unreachable.");
        }

        foreach (var message in messages)
        {
            if (_byId.TryAdd(message.MessageId, message))
            {
                _order.Enqueue(message);
            }
        }

        return Task.CompletedTask;
    }
}
