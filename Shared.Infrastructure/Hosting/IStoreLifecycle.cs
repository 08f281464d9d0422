namespace Shared.Infrastructure.Hosting;

/// <summary>Prepares the store for serving and checks it.</summary>
public interface IStoreLifecycle
{
    /// <summary>
    /// Creates what this store may create (the SQLite schema; Cosmos containers only with Cosmos:CreateIfMissing) and
    /// verifies the rest. What is wrong is returned as problems; an exception means the store could not be asked.
    /// </summary>
    Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
