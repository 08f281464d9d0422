using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Campaigns;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers, customers' campaign preferences and campaigns: their stores for the chosen provider, their personal data,
/// and the use cases. The notification senders are registered by the notifications feature (one per channel); a
/// channel without one counts its messages failed (released, never charged).
/// </summary>
public static class CampaignsRegistration
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(CampaignSqliteMigrations.All);
                services.AddSingleton<IOfferStore, SqliteOfferStore>();
                services.AddSingleton<ICustomerPreferenceStore, SqliteCustomerPreferenceStore>();
                services.AddSingleton<ICampaignStore, SqliteCampaignStore>();
                services.AddSingleton<IPersonalDataStore, SqliteCampaignPersonalData>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Offers, CosmosContainers.Campaigns);
                services.AddSingleton<IOfferStore, CosmosOfferStore>();
                services.AddSingleton<ICustomerPreferenceStore, CosmosCustomerPreferenceStore>();
                services.AddSingleton<ICampaignStore, CosmosCampaignStore>();
                services.AddSingleton<IPersonalDataStore, CosmosCampaignPersonalData>();
                break;
        }

        services.AddSingleton(backend.Options<CampaignOptions>("Campaigns").Validate());
        services.AddSingleton<OfferCatalog>();
        services.AddSingleton<OfferSweep>();
        services.AddSingleton<CustomerPreferenceService>();
        services.AddSingleton<AudienceReader>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<CampaignDispatcher>();
        return services;
    }
}
