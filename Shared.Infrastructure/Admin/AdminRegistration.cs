using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Admin;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Admin;

/// <summary>Admin: the user search for the chosen store and the admin use cases (role grants, user reads, refunds).</summary>
public static class AdminRegistration
{
    public static IServiceCollection AddAdmin(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(AdminSqliteMigrations.All);
                services.AddSingleton<IAdminUserSearch, SqliteAdminUserSearch>();
                services.AddSingleton<IAdminRefundStore, SqliteAdminRefundStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Lookups);
                services.AddSingleton<IAdminUserSearch, CosmosAdminUserSearch>();
                services.AddSingleton<IAdminRefundStore, CosmosAdminRefundStore>();
                break;
        }

        services.AddSingleton<RoleAdministration>();
        services.AddSingleton<AdminUsers>();
        services.AddSingleton<AdminRefunds>();
        return services;
    }
}
