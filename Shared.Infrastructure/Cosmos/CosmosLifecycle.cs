using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Cosmos;

internal sealed class CosmosLifecycle(CosmosDatabase db) : IStoreLifecycle
{
    public Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken) => db.InitializeAsync(cancellationToken);

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => db.PingAsync(cancellationToken);
}
