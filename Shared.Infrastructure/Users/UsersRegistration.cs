using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Users and installations: the store's directory (schema included) for the chosen provider.</summary>
public static class UsersRegistration
{
    public static IServiceCollection AddUsers(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(UserSqliteMigrations.All);
                services.AddSingleton<SqliteUserDirectory>();
                services.AddSingleton<Func<IUserDirectory>>(sp => sp.GetRequiredService<SqliteUserDirectory>);
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Lookups);
                services.AddSingleton<CosmosUserDirectory>();
                services.AddSingleton<Func<IUserDirectory>>(sp => sp.GetRequiredService<CosmosUserDirectory>);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
