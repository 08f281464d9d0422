using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>
/// What the provider adapter tests share: a local server on 127.0.0.1 standing in for the provider, a fake clock the
/// test moves (so retry delays cost no real time), an embedded store for devices and phones, and an HttpClient with the
/// adapters' resilience handler on that clock.
/// </summary>
public sealed class NotificationHttpFixture : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    private NotificationHttpFixture(RecordingServer server, StoreSet store)
    {
        Server = server;
        Store = store;
    }

    public RecordingFakeTime Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public RecordingServer Server { get; }

    public StoreSet Store { get; }

    public static async Task<NotificationHttpFixture> StartAsync() =>
        new(await RecordingServer.StartAsync(defaultStatus: 200), await StoreSet.SqliteAsync());

    public HttpClient Client(OutboundHttpOptions options, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddHttpClient("provider", c => c.Timeout = Timeout.InfiniteTimeSpan).AddOutboundResilience("provider", _ => options, isRateLimited);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<IHttpClientFactory>().CreateClient("provider");
    }

    /// <summary>Runs a send while moving the clock in 250 ms steps (retry delays and Retry-After waits pass on it).</summary>
    public Task<T> DriveAsync<T>(Task<T> send) => Clock.DriveAsync(send, TimeSpan.FromMilliseconds(250));

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Server.DisposeAsync();
        await Store.DisposeAsync();
    }
}
