using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Identify;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Quotas;

/// <summary>Quota accounts, the usage archive written with their resets, the quota query and the reset sweep.</summary>
public static class QuotasRegistration
{
    public static IServiceCollection AddQuotas(this IServiceCollection services, BackendContext backend)
    {
        // Personal data: the user's account, remembered keys, grants and archive. Not covered: the key of a referral perk
        // in the REFERRER's account names the referred user (referral:{id}); it stays when that user is erased, because
        // the grant must keep counting once (redacting it to a digest is left to the accounts issue).
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(QuotaSqliteMigrations.All);
                services.AddSingleton<IQuotaStore, SqliteQuotaStore>();
                services.AddSingleton<IUsageArchive, SqliteUsageArchive>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "quotas", [new("quotas", "quota_account"), new("quota_requests", "request_key"), new("quota_grants", "bonus_grant"), new("usage_archive", "archived_period")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IQuotaStore, CosmosQuotaStore>();
                services.AddSingleton<IUsageArchive, CosmosUsageArchive>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "quotas", [new(CosmosContainers.Users, "quota_account", ["quota"]), new(CosmosContainers.Users, "archived_period", ["usage_archive"])]));
                break;
        }

        services.AddSingleton<QuotaQueryHandler>();
        services.AddSingleton<QuotaResetSweep>();
        return services;
    }
}
