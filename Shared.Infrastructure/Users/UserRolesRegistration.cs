using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Privacy;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Users;

/// <summary>Role grants: their store for the chosen provider (schema included), their personal data, and <see cref="UserRoles"/>.</summary>
public static class UserRolesRegistration
{
    public static IServiceCollection AddUserRoles(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(UserRoleSqliteMigrations.All);
                services.AddSingleton<IUserRoleStore, SqliteUserRoleStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "roles", [new("user_roles", "role_grant")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IUserRoleStore, CosmosUserRoleStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "roles", [new(CosmosContainers.Users, "role_grant", ["roles"])]));
                break;
        }

        services.AddSingleton<UserRoles>();
        return services;
    }
}
