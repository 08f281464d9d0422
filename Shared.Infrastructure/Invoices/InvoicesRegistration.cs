using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Invoices;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Invoices;

/// <summary>Invoices: their store for the chosen provider, their personal data (kept de-identified on erasure), the tax settings, the issuer and the owner's paged history.</summary>
public static class InvoicesRegistration
{
    public static IServiceCollection AddInvoices(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(InvoiceSqliteMigrations.All);
                services.AddSingleton<IInvoiceStore, SqliteInvoiceStore>();
                services.AddSingleton<IPersonalDataStore, SqliteInvoicePersonalData>();
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users);
                services.AddSingleton<IInvoiceStore, CosmosInvoiceStore>();
                services.AddSingleton<IPersonalDataStore, CosmosInvoicePersonalData>();
                break;
        }

        services.AddSingleton<IInvoiceSettingsSource>(_ => new ConfiguredInvoiceSettings(backend.Configuration));
        services.AddSingleton<IssueInvoice>();
        services.AddSingleton<InvoiceHistory>();
        services.AddSingleton<IInvoiceIssuer>(sp => sp.GetRequiredService<IssueInvoice>());
        return services;
    }
}
