using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Admin;
using Shared.Domain.Privacy;
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
                services.AddSingleton<IAdminMetricsSource, SqliteAdminMetricsSource>();
                services.AddSingleton<IRoleApplicationStore, SqliteRoleApplicationStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "role_applications", [new("role_applications", "role_application")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Lookups, CosmosContainers.Billing, CosmosContainers.Usage);
                services.AddSingleton<IAdminUserSearch, CosmosAdminUserSearch>();
                services.AddSingleton<IAdminRefundStore, CosmosAdminRefundStore>();
                services.AddSingleton<IAdminMetricsSource, CosmosAdminMetricsSource>();
                services.AddSingleton<IRoleApplicationStore, CosmosRoleApplicationStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(
                    sp.GetRequiredService<CosmosDatabase>(),
                    "role_applications",
                    [new(CosmosContainers.Users, "role_application", [RoleApplicationDocument.DocumentType, RoleApplicationLockDocument.DocumentType])]));
                break;
        }

        services.AddSingleton(backend.Options<RoleApplicationOptions>("RoleApplications"));
        services.AddSingleton<RoleAdministration>();
        services.AddSingleton<AdminUsers>();
        services.AddSingleton<AdminRefunds>();
        services.AddSingleton<AdminMetrics>();
        services.AddSingleton<RoleApplications>();
        return services;
    }
}
