using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.ServiceBus;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Jobs;

/// <summary>
/// The job queue: Service Bus when a namespace is configured (in Azure, the same one the Functions host's
/// ServiceBusConnection__fullyQualifiedNamespace names); otherwise the EMBEDDED QUEUE (a SQLite table).
/// </summary>
public static class JobsRegistration
{
    public const string ServiceBusProvider = "ServiceBus";
    public const string EmbeddedQueueProvider = "Embedded";

    public static IServiceCollection AddJobs(this IServiceCollection services, BackendContext backend)
    {
        var configuration = backend.Configuration;
        services.AddSingleton(backend.Options<JobQueueOptions>("Queue"));
        var queueProvider = configuration["Queue:Provider"] ?? (configuration["ServiceBus:FullyQualifiedNamespace"] is { Length: > 0 } ? ServiceBusProvider : EmbeddedQueueProvider);
        switch (queueProvider)
        {
            case ServiceBusProvider:
                services.AddSingleton(configuration.GetSection("ServiceBus").Get<ServiceBusOptions>()
                    ?? throw new InvalidOperationException("ServiceBus:FullyQualifiedNamespace is required when Queue:Provider=ServiceBus."));
                services.AddServiceBusSender();
                services.AddSingleton<Azure.Core.TokenCredential>(_ => new Azure.Identity.DefaultAzureCredential());
                services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<ServiceBusRestQueue>());
                break;
            case EmbeddedQueueProvider:
                backend.RefuseInProduction("Queue:Provider=Embedded (the embedded SQLite queue)");
                services.AddSqliteMigrations(JobSqliteMigrations.All);
                if (backend.Store != StoreProvider.Sqlite)
                {
                    services.AddSqliteDatabase(backend); // the queue's own file beside a Cosmos store
                    services.AddHostedService<EmbeddedQueueInitializer>();
                }

                services.AddSingleton<SqliteJobQueue>();
                services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<SqliteJobQueue>());
                services.AddSingleton<IJobReceiver>(sp => sp.GetRequiredService<SqliteJobQueue>());
                services.AddSingleton<Shared.Domain.Privacy.IPersonalDataStore, EmbeddedQueuePersonalData>();
                break;
            default:
                throw new InvalidOperationException($"Queue:Provider must be \"{ServiceBusProvider}\" or \"{EmbeddedQueueProvider}\" (was \"{queueProvider}\").");
        }

        return services;
    }
}
