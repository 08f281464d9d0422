using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shared.Infrastructure.Ai;

namespace Functions.Api.Tests;

/// <summary>An API on one store whose AI provider is <see cref="ScriptedProvider"/>, beneath the app's real AI pipeline.</summary>
public sealed class AiApiFactory(StoreKind store) : ApiFactory(store, new Dictionary<string, string?> { ["AiGeneration:PerUserPerMinute"] = "1000", ["AiGeneration:MaxInFlightPerUser"] = "1000" })
{
    public ScriptedProvider Provider { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAllKeyed<IChatClient>(AiServices.ProviderKey);
            services.AddKeyedSingleton<IChatClient>(AiServices.ProviderKey, Provider);
        });
    }
}

public sealed class SqliteAiApi : IDisposable
{
    public AiApiFactory Factory { get; } = new(StoreKind.Sqlite);

    public void Dispose() => Factory.Dispose();
}

public sealed class CosmosAiApi : IDisposable
{
    private AiApiFactory? _factory;

    public AiApiFactory Factory => _factory ??= new AiApiFactory(StoreKind.Cosmos);

    public void Dispose() => _factory?.Dispose();
}
