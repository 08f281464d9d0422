namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Counts round trips to the store (SQLite transactions or statements outside one; Cosmos HTTP requests), so that
/// tests and benchmarks can state how many a use case costs.
/// </summary>
public sealed class StoreOperationCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
