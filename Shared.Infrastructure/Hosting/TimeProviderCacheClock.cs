using Microsoft.Extensions.Internal;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// <see cref="Microsoft.Extensions.Caching.Memory.MemoryCacheOptions.Clock"/> still takes the older
/// <see cref="ISystemClock"/>, not a <see cref="TimeProvider"/>; without this adapter a MemoryCache expires entries by
/// the machine's clock while everything else in the app follows the injected one.
/// </summary>
public sealed class TimeProviderCacheClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
