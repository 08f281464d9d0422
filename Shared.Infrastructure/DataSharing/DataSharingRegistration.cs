using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.DataSharing.Sales;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Data sharing: opt-ins and the anonymous insights (stores for the chosen provider), the handler and the nightly anonymization.</summary>
public static class DataSharingRegistration
{
    public static IServiceCollection AddDataSharing(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(DataSharingSqliteMigrations.All);
                services.AddSingleton<IDataSharingStore, SqliteDataSharingStore>();
                services.AddSingleton<IInsightStore, SqliteInsightStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "data_sharing", [new("data_sharing", "preference")]));
                services.AddSqliteMigrations(PrivateReleaseSqliteMigrations.All);
                services.AddSingleton<IDataSharingEventStore, SqliteDataSharingEventStore>();
                services.AddSingleton<IDataSharingReleaseStore, SqliteDataSharingReleaseStore>();
                services.AddSingleton<IDataSharingSaleStore, SqliteDataSharingSaleStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "data_sharing_contributions", [new("data_sharing_events", "event"), new("data_sharing_contributions", "release_contribution")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Insights);
                services.AddSingleton<IDataSharingStore, CosmosDataSharingStore>();
                services.AddSingleton<IInsightStore, CosmosInsightStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "data_sharing", [new(CosmosContainers.Users, "preference", ["data_sharing"])]));
                services.AddSingleton<IDataSharingEventStore, CosmosDataSharingEventStore>();
                services.AddSingleton<IDataSharingReleaseStore, CosmosDataSharingReleaseStore>();
                services.AddSingleton<IDataSharingSaleStore, CosmosDataSharingSaleStore>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "data_sharing_contributions", [new(CosmosContainers.Users, "event", [CosmosDataSharingEventStore.Type]), new(CosmosContainers.Users, "release_contribution", [CosmosDataSharingReleaseStore.ContributionType])]));
                break;
        }

        services.AddSingleton(backend.Options<AnonymizationOptions>("Anonymization"));
        services.AddSingleton<DataSharingHandler>();
        services.AddSingleton<NightlyAnonymization>();
        services.AddPrivateReleases(backend);
        return services;
    }

    /// <summary>The differentially private release (issue 16): events intake, the nightly job, and where datasets are exported.</summary>
    private static void AddPrivateReleases(this IServiceCollection services, BackendContext backend)
    {
        var privacy = backend.Options<DataSharingPrivacyOptions>(DataSharingPrivacyOptions.SectionName);
        var problems = privacy.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid data-sharing privacy settings: " + string.Join(" ", problems));
        }

        services.AddSingleton(privacy);
        services.AddSingleton(backend.Options<DataSharingOptions>(DataSharingOptions.SectionName));
        services.AddSingleton<IRandomSource>(CryptoRandomSource.Instance);
        services.AddSingleton<SubmitDataSharingEvents>();
        services.AddSingleton<GetDataSharingSummary>();
        services.AddSingleton<PrivateReleaseJob>();
        services.AddSingleton<RecordDataSharingSale>();

        var export = backend.Options<ReleaseExportOptions>("DataSharing:Export");
        switch (export.Provider ?? (backend.Environment.IsProduction() ? null : ReleaseExportOptions.FolderProvider))
        {
            case null:
                // Production without an export target: start (the rest of the app does not depend on it) and refuse each export.
                services.AddSingleton<IReleaseBlobStore, UnconfiguredReleaseBlobStore>();
                break;
            case ReleaseExportOptions.FolderProvider:
                backend.RefuseInProduction("DataSharing:Export:Provider=Folder (the local folder adapter)");
                var folder = Path.IsPathRooted(export.Folder) ? export.Folder : Path.Combine(backend.Environment.ContentRootPath, export.Folder);
                services.AddSingleton<IReleaseBlobStore>(new FolderReleaseBlobStore(folder));
                break;
            case ReleaseExportOptions.AzureBlobProvider:
                services.AddSingleton(_ => export.ConnectionString is { Length: > 0 } connection
                    ? new BlobServiceClient(connection)
                    : new BlobServiceClient(export.BlobServiceUri ?? throw new InvalidOperationException("DataSharing:Export:BlobServiceUri (managed identity) or DataSharing:Export:ConnectionString is required for the AzureBlob provider."), new DefaultAzureCredential()));
                services.AddSingleton<IReleaseBlobStore, AzureBlobReleaseStore>();
                break;
            default:
                throw new InvalidOperationException($"DataSharing:Export:Provider must be \"{ReleaseExportOptions.FolderProvider}\" or \"{ReleaseExportOptions.AzureBlobProvider}\" (was \"{export.Provider}\").");
        }
    }
}
