namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Whether the store can serve, as the start-up check (<see cref="StoreInitializer"/>) last found it. Requests that need
/// the store are answered 503 <c>store_not_ready</c> until it is ready; health reports the problems.
/// </summary>
public sealed class StoreReadiness
{
    private readonly TaskCompletionSource _firstCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile StoreStatus _status = StoreStatus.Initial;

    public StoreStatus Status => _status;

    public bool IsReady => _status.State == StoreState.Ready;

    /// <summary>Completes when the first check has finished, whatever it found.</summary>
    public Task FirstCheck => _firstCheck.Task;

    /// <summary>How long a client should wait before trying again: until the next check, at least a second.</summary>
    public TimeSpan RetryAfter(DateTimeOffset now) =>
        _status.NextCheckAt is { } next && next - now > TimeSpan.FromSeconds(1) ? next - now : TimeSpan.FromSeconds(1);

    internal void Report(StoreStatus status)
    {
        _status = status;
        _firstCheck.TrySetResult();
    }
}
