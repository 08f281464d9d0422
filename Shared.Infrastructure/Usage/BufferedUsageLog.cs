using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shared.Domain.Usage;

namespace Shared.Infrastructure.Usage;

/// <summary>
/// Usage records are analytics, not the quota (the counter is). They are queued in memory and written in batches so
/// the identify hot path costs no extra store round trip. If the queue is full (the store is down for long) records
/// are dropped and the drop is logged with a count; on shutdown the queue is drained.
/// </summary>
public sealed class BufferedUsageLog(IUsageLogStore store, ILogger<BufferedUsageLog> logger) : BackgroundService, IUsageLog
{
    private const int Capacity = 50_000;
    // Small batches: each is one operation on the store's single writer, so identify calls are not queued behind a big one.
    private const int BatchSize = 100;
    private readonly Channel<UsageRecord> _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    // One flush at a time: the background loop and a caller (tests, shutdown) must not read the channel together (it
    // has a single reader), and a caller's flush returns only once everything queued before it is written, in order.
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(UsageRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes everything queued so far (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<UsageRecord>(BatchSize);
            while (_queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                if (batch.Count == BatchSize)
                {
                    await store.AppendAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await store.AppendAsync(batch, cancellationToken);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long reportedDrops = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _queue.Reader.WaitToReadAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                await FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Writing usage records failed; retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            var dropped = Dropped;
            if (dropped != reportedDrops)
            {
                logger.LogWarning("{Count} usage records were dropped because the queue was full", dropped - reportedDrops);
                reportedDrops = dropped;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var pending = _queue.Reader.Count;
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Shutting down must not fail on analytics; the loss is reported, with its size.
            logger.LogError(e, "At shutdown {Count} usage records could not be written and are lost", pending);
        }
    }
}
