using System.Globalization;
using System.Text;
using Shared.Domain.Jobs;

namespace Functions.Workers.Local;

public sealed class LocalTriggerOptions
{
    /// <summary>Run the local trigger loop (default: when not under the Functions host and the embedded queue is used).</summary>
    public bool? Enabled { get; set; }

    /// <summary>Messages handled at the same time.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a received message stays leased to this process (like Service Bus' lock, renewed by the host there).</summary>
    public int LeaseSeconds { get; set; } = 600;

    public int IdlePollMilliseconds { get; set; } = 50;
}

/// <summary>Sends invocations to this app's own function endpoints (over loopback HTTP; tests use the in-memory server).</summary>
public sealed class LocalFunctionClient(HttpClient http)
{
    /// <summary>The host's payloads use PascalCase names (Data, Metadata), not the web default camelCase.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions HostJson = new();

    /// <summary>True for a 2xx answer. Like the host, any Retry-After is ignored: a function that wants to wait schedules a message for later itself.</summary>
    public async Task<bool> InvokeAsync(string function, object payload, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(function, payload, HostJson, cancellationToken);
        return response.IsSuccessStatusCode;
    }
}

/// <summary>
/// LOCAL MODE ONLY (./run.sh): stands in for the Functions host. Polls the embedded queue (priority queues first) and
/// fires the timer schedules, both read from the same function.json files the host reads, and invokes the same
/// endpoints with the host's payload shapes (base64 body, double-encoded scalar metadata). A 2xx answer completes the
/// message (also when the function scheduled a retry of its own); a failed invocation gives the message back with a
/// short backoff (the host redelivers at once; the backoff only keeps a local failure from spinning); after the
/// queue's maximum deliveries it is dead-lettered, as in Service Bus.
/// </summary>
public sealed class LocalTriggerLoop(
    IJobReceiver receiver,
    LocalFunctionClient client,
    LocalTriggerOptions options,
    IReadOnlyList<FunctionDefinition> functions,
    TimeProvider time,
    ILogger<LocalTriggerLoop> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTime> _nextRun = [];

    /// <summary>Queues in the order they are read: the priority queue first, then the rest as declared.</summary>
    public IReadOnlyList<string> QueueOrder { get; } = [.. functions.Where(f => f.QueueName is not null).Select(f => f.QueueName!).Distinct().OrderBy(q => q == QueueNames.AiGenerationPriority ? 0 : 1)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Local trigger loop: queues {Queues}; timers {Timers}", string.Join(", ", QueueOrder), string.Join(", ", functions.Where(f => f.Cron is not null).Select(f => $"{f.Name} ({f.Schedule})")));
        var workers = Enumerable.Range(0, Math.Max(1, options.Concurrency)).Select(_ => QueueWorkerAsync(stoppingToken)).ToList();
        workers.Add(TimerLoopAsync(stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>Receives and handles one message if one is visible; false when the queues are empty.</summary>
    public async Task<bool> HandleNextMessageAsync(CancellationToken cancellationToken)
    {
        var job = await receiver.ReceiveAsync(QueueOrder, TimeSpan.FromSeconds(options.LeaseSeconds), cancellationToken);
        if (job is null)
        {
            return false;
        }

        var function = functions.First(f => f.QueueName == job.Queue);
        var payload = new
        {
            Data = new Dictionary<string, object?> { [function.MessageBinding ?? "message"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(job.Body)) },
            Metadata = new Dictionary<string, object?>
            {
                ["MessageId"] = Quote(job.MessageId),
                ["DeliveryCount"] = job.DeliveryCount.ToString(CultureInfo.InvariantCulture),
                ["EnqueuedTimeUtc"] = Quote(time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
                ["sys"] = Sys(function.Name),
            },
        };

        bool succeeded;
        try
        {
            succeeded = await client.InvokeAsync(function.Name, payload, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Unreachable or timed out: give the message back, as the host does when an invocation fails.
            logger.LogError(e, "Invoking {Function} for message {MessageId} failed", function.Name, job.MessageId);
            succeeded = false;
        }

        if (succeeded)
        {
            await receiver.CompleteAsync(job, cancellationToken);
        }
        else
        {
            var backoff = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, job.DeliveryCount - 1)));
            await receiver.AbandonAsync(job, backoff, $"{function.Name} failed", cancellationToken);
        }

        return true;
    }

    /// <summary>Invokes every timer function whose next occurrence is due (the first call only schedules them).</summary>
    public async Task<int> FireDueTimersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var fired = 0;
        foreach (var function in functions.Where(f => f.Cron is not null))
        {
            if (!_nextRun.TryGetValue(function.Name, out var due))
            {
                _nextRun[function.Name] = function.Cron!.GetNextOccurrence(now);
                continue;
            }

            if (now < due)
            {
                continue;
            }

            var next = function.Cron!.GetNextOccurrence(now);
            _nextRun[function.Name] = next;
            var payload = new
            {
                Data = new Dictionary<string, object?>
                {
                    ["timer"] = new
                    {
                        Schedule = new { AdjustForDST = true },
                        ScheduleStatus = new { Last = due.ToString("O", CultureInfo.InvariantCulture), Next = next.ToString("O", CultureInfo.InvariantCulture), LastUpdated = now.ToString("O", CultureInfo.InvariantCulture) },
                        IsPastDue = now - due > TimeSpan.FromMinutes(1),
                    },
                },
                Metadata = new Dictionary<string, object?> { ["sys"] = Sys(function.Name) },
            };
            try
            {
                if (!await client.InvokeAsync(function.Name, payload, cancellationToken))
                {
                    logger.LogError("Timer function {Function} reported a failure; it runs again at {Next:O}", function.Name, next);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Unreachable, or slower than the client's timeout: the run is lost, the schedule goes on.
                logger.LogError(e, "Invoking timer function {Function} failed; it runs again at {Next:O}", function.Name, next);
            }

            fired++;
        }

        return fired;
    }

    private async Task QueueWorkerAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await HandleNextMessageAsync(stoppingToken))
                {
                    await Task.Delay(options.IdlePollMilliseconds, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Local queue worker failed; retrying in 1 s");
                await Task.Delay(1000, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task TimerLoopAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                await FireDueTimersAsync(stoppingToken);
            }
            while (await tick.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private object Sys(string function) => new
    {
        MethodName = function,
        UtcNow = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        RandGuid = Guid.NewGuid().ToString(),
    };

    /// <summary>Scalar metadata as the host sends it: JSON-encoded a second time.</summary>
    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
