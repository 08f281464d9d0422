using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Referrals;

/// <summary>Referrals: their store for the chosen provider, the handler and the perk sweep.</summary>
public static class ReferralsRegistration
{
    public static IServiceCollection AddReferrals(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(ReferralSqliteMigrations.All);
                services.AddSingleton<IReferralStore, SqliteReferralStore>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IReferralStore, CosmosReferralStore>();
                break;
        }

        services.AddSingleton(backend.Options<ReferralOptions>("Referrals"));
        services.AddSingleton<ReferralHandler>();
        services.AddSingleton<ReferralPerkSweep>();
        return services;
    }
}
