using Shared.Domain.Jobs;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Jobs;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Jobs;

public sealed class SqliteJobQueueTests : IDisposable
{
    private static readonly string[] Both = [QueueNames.AiGenerationPriority, QueueNames.AiGenerationStandard];
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly SqliteDatabase _db = new(Path.Combine(Path.GetTempPath(), $"queue-{Guid.NewGuid():N}", "q.db"), new StoreOperationCounter(), DeclaredSchema.SqliteMigrations());
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteJobQueue _queue;

    public SqliteJobQueueTests()
    {
        _db.Initialize();
        _queue = new SqliteJobQueue(_db, new JobQueueOptions { MaxDeliveries = 3 }, _clock);
    }

    [Fact]
    public async Task A_message_id_sent_twice_is_delivered_once()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m1", "first")], default);
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m1", "second")], default);

        var job = await _queue.ReceiveAsync(Both, Lease, default);
        await _queue.CompleteAsync(job!, default);

        Assert.Equal(("m1", "first", 1), (job!.MessageId, job.Body, job.DeliveryCount));
        Assert.Null(await _queue.ReceiveAsync(Both, Lease, default));
    }

    [Fact]
    public async Task With_both_queues_full_paid_work_is_taken_first()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [.. Enumerable.Range(0, 5).Select(i => new JobMessage($"s{i}", "standard"))], default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _queue.SendAsync(QueueNames.AiGenerationPriority, [.. Enumerable.Range(0, 5).Select(i => new JobMessage($"p{i}", "paid"))], default);

        var order = new List<string>();
        while (await _queue.ReceiveAsync(Both, Lease, default) is { } job)
        {
            order.Add(job.Body);
            await _queue.CompleteAsync(job, default);
        }

        Assert.Equal([.. Enumerable.Repeat("paid", 5), .. Enumerable.Repeat("standard", 5)], order);
    }

    [Fact]
    public async Task A_leased_message_is_invisible_until_its_lease_expires_then_redelivered()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m1", "x")], default);
        var first = await _queue.ReceiveAsync(Both, Lease, default);

        var whileLeased = await _queue.ReceiveAsync(Both, Lease, default);
        _clock.Advance(Lease);
        var again = await _queue.ReceiveAsync(Both, Lease, default);

        Assert.Null(whileLeased);
        Assert.Equal(2, again!.DeliveryCount);
        Assert.False(await _queue.CompleteAsync(first!, default)); // its lease was lost
        Assert.True(await _queue.CompleteAsync(again, default));
    }

    [Fact]
    public async Task A_message_failing_every_time_is_dead_lettered_after_the_maximum_deliveries()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m1", "x")], default);

        var deliveries = 0;
        while (await _queue.ReceiveAsync(Both, Lease, default) is { } job)
        {
            deliveries++;
            await _queue.AbandonAsync(job, TimeSpan.Zero, "provider failed", default);
        }

        var dead = Assert.Single(await _queue.ListDeadLettersAsync(QueueNames.AiGenerationStandard, 10, default));
        Assert.Equal(3, deliveries);
        Assert.Equal(("m1", 3), (dead.MessageId, dead.DeliveryCount));
    }

    [Fact]
    public async Task A_message_whose_receivers_keep_crashing_is_dead_lettered_too()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [new JobMessage("m1", "x")], default);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await _queue.ReceiveAsync(Both, Lease, default));
            _clock.Advance(Lease); // the receiver died; the lease runs out
        }

        Assert.Null(await _queue.ReceiveAsync(Both, Lease, default));
        Assert.Single(await _queue.ListDeadLettersAsync(QueueNames.AiGenerationStandard, 10, default));
    }

    [Fact]
    public async Task A_scheduled_message_is_delivered_from_its_time_on()
    {
        await _queue.SendAsync(QueueNames.CampaignDispatch, [new JobMessage("later", "x", _clock.Now.AddMinutes(5))], default);

        var early = await _queue.ReceiveAsync([QueueNames.CampaignDispatch], Lease, default);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var onTime = await _queue.ReceiveAsync([QueueNames.CampaignDispatch], Lease, default);

        Assert.Null(early);
        Assert.Equal("later", onTime!.MessageId);
    }

    [Fact]
    public async Task Competing_receivers_get_each_message_exactly_once()
    {
        await _queue.SendAsync(QueueNames.AiGenerationStandard, [.. Enumerable.Range(0, 200).Select(i => new JobMessage($"m{i}", $"{i}"))], default);

        var received = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await _queue.ReceiveAsync(Both, Lease, default) is { } job)
            {
                mine.Add(job.MessageId);
                Assert.True(await _queue.CompleteAsync(job, default));
            }

            return mine;
        })));

        var all = received.SelectMany(r => r).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    public void Dispose() => _db.Dispose();
}
