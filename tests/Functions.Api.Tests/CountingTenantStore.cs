using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Functions.Api.Tests;

/// <summary>The app's tenant store, counting the reads that reach it.</summary>
public sealed class CountingTenantStore(ITenantStore inner) : ITenantStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(id, cancellationToken);
    }

    public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken) => inner.UpsertAsync(tenant, cancellationToken);

    public Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken) => inner.ListAsync(after, max, cancellationToken);

    /// <summary>Wraps whatever tenant store the app registered.</summary>
    public static void Install(IServiceCollection services)
    {
        var registered = services.Single(s => s.ServiceType == typeof(ITenantStore));
        services.Remove(registered);
        services.AddSingleton(sp => new CountingTenantStore((ITenantStore)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)));
        services.AddSingleton<ITenantStore>(sp => sp.GetRequiredService<CountingTenantStore>());
    }
}
