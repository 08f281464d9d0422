using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shared.Domain.Accounts;

namespace Functions.Api.Tests.Accounts;

/// <summary>
/// The accounts app whose account store is wrapped in a <see cref="RacingAccountStore"/> (the seam the erasure-race
/// tests use) and whose password hasher counts its checks (<see cref="CountingPasswordHasher"/>).
/// </summary>
public sealed class RacingAccountsFactory(StoreKind store) : ApiFactory(store, AccountApis.Settings)
{
    public RacingAccountStore Racing => Services.GetRequiredService<RacingAccountStore>();

    public CountingPasswordHasher Hasher => Services.GetRequiredService<CountingPasswordHasher>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var real = services.Last(d => d.ServiceType == typeof(IAccountStore));
            var type = real.ImplementationType ?? throw new InvalidOperationException("The account store is expected to be registered by its type.");
            services.RemoveAll<IAccountStore>();
            services.AddSingleton(sp => new RacingAccountStore((IAccountStore)ActivatorUtilities.CreateInstance(sp, type)));
            services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<RacingAccountStore>());
            services.RemoveAll<IPasswordHasher>();
            services.AddSingleton(sp => new CountingPasswordHasher(sp.GetRequiredService<PasswordHasher>()));
            services.AddSingleton<IPasswordHasher>(sp => sp.GetRequiredService<CountingPasswordHasher>());
        });
    }
}
