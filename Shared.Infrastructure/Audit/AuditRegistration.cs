using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Audit;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Audit;

/// <summary>The audit log for the chosen store; it is also a personal-data store (export, de-identification on erasure).</summary>
public static class AuditRegistration
{
    public static IServiceCollection AddAudit(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(AuditSqliteMigrations.All);
                services.AddSingleton<SqliteAuditLog>();
                services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteAuditLog>());
                services.AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<SqliteAuditLog>());
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Audit);
                services.AddSingleton<CosmosAuditLog>();
                services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<CosmosAuditLog>());
                services.AddSingleton<IPersonalDataStore>(sp => sp.GetRequiredService<CosmosAuditLog>());
                break;
        }

        return services;
    }
}
