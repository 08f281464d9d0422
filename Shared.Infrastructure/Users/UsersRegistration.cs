using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Identify;
using Shared.Domain.Privacy;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Users and installations: the store's directory (schema included) behind a cache, the installation gate, identify.</summary>
public static class UsersRegistration
{
    public static IServiceCollection AddUsers(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(UserSqliteMigrations.All);
                services.AddSingleton<SqliteUserDirectory>();
                services.AddSingleton<Func<IUserDirectory>>(sp => sp.GetRequiredService<SqliteUserDirectory>);
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "users", [new("users", "user"), new("installations", "installation")]));
                services.AddSingleton<IErasureRegistry, SqliteErasureRegistry>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Lookups);
                services.AddSingleton<CosmosUserDirectory>();
                services.AddSingleton<Func<IUserDirectory>>(sp => sp.GetRequiredService<CosmosUserDirectory>);
                // Lookups naming the user: installations, the verified-email index and the billing customer link (untyped; the
                // typed documents other features keep in lookups — accounts, outbox, tombstones — are theirs to export).
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "users", [new(CosmosContainers.Users, "user", ["user"]), new(CosmosContainers.Lookups, "lookup", UserField: "user_id", UntypedOnly: true)]));
                services.AddSingleton<IErasureRegistry, CosmosErasureRegistry>();
                break;
        }

        services.AddSingleton(sp => new CachingUserDirectory(sp.GetRequiredService<Func<IUserDirectory>>()(), sp.GetRequiredService<IMemoryCache>()));
        services.AddSingleton<IUserDirectory>(sp => sp.GetRequiredService<CachingUserDirectory>());
        services.AddSingleton<IErasureListener>(sp => sp.GetRequiredService<CachingUserDirectory>());

        // Privacy (GDPR export and erasure) over every feature's IPersonalDataStore; the users feature owns the tombstones.
        services.AddSingleton<FreshTokenReauthentication>();
        services.AddSingleton<IReauthentication>(sp => sp.GetRequiredService<FreshTokenReauthentication>()); // the accounts feature, registered later, decorates it
        services.AddSingleton<EraseUserData>();
        services.AddSingleton<EraseUser>();
        services.AddSingleton<ExportPersonalData>();
        services.AddSingleton(backend.Options<InstallationLimitOptions>("RateLimits:NewInstallations"));
        services.AddSingleton<IInstallationGate, RateLimitedInstallationGate>();
        services.AddUserRoles(backend);
        services.AddSingleton<IdentifyHandler>();
        return services;
    }
}
