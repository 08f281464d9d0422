using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Referrals;

/// <summary>Referrals' store for the chosen provider.</summary>
public static class ReferralsRegistration
{
    public static IServiceCollection AddReferrals(this IServiceCollection services, StoreProvider store)
    {
        switch (store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(ReferralSqliteMigrations.All);
                services.AddSingleton<IReferralStore, SqliteReferralStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IReferralStore, CosmosReferralStore>();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store, null);
        }

        return services;
    }
}
