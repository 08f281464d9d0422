namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Counts round trips to the store (SQLite transactions or single reads; Cosmos HTTP requests), in total and per
/// logical flow (<see cref="BeginScope"/>), so tests and benchmarks can state what one use case costs without
/// counting background work such as the usage-log flush.
/// </summary>
public sealed class StoreOperationCounter
{
    private static readonly AsyncLocal<Scope?> Current = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment()
    {
        Interlocked.Increment(ref _count);
        if (Current.Value is { } scope)
        {
            Interlocked.Increment(ref scope.CountField);
        }
    }

    /// <summary>Counts the operations issued by this async flow until the scope is disposed.</summary>
    public static Scope BeginScope() => Current.Value = new Scope();

    public sealed class Scope : IDisposable
    {
        internal long CountField;

        public long Count => Interlocked.Read(ref CountField);

        public void Dispose() => Current.Value = null;
    }
}
