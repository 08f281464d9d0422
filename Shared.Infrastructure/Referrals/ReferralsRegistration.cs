using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Privacy;
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
                // A referral is the referred user's record: erased with them; exported to the referrer too, but kept when
                // the referrer is erased (deleting it would let the referred user be referred again, for a second perk).
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "referrals", [new("referrals", "referred", "referred_id"), new("referrals", "referrer", "referrer_id", ErasedWithUser: false)]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IReferralStore, CosmosReferralStore>();
                // A referral (in the referred user's partition) is the referred user's record: erased with them; exported
                // to the referrer too, but kept when the referrer is erased (else the referred user could be referred again).
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "referrals", [new(CosmosContainers.Users, "referred", ["referral"]), new(CosmosContainers.Users, "referrer", ["referral"], UserField: "referrer_id", ErasedWithUser: false)]));
                break;
        }

        services.AddSingleton(backend.Options<ReferralOptions>("Referrals"));
        services.AddSingleton<ReferralHandler>();
        services.AddSingleton<ReferralPerkSweep>();
        return services;
    }
}
