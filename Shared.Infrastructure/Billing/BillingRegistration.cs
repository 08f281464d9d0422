using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Billing;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;
using Shared.Infrastructure.Stripe;

namespace Shared.Infrastructure.Billing;

/// <summary>Billing: its store (customers, subscriptions, payments, webhook events, anomalies), the payment provider, checkout and the Stripe event handling.</summary>
public static class BillingRegistration
{
    public const string StripeProvider = "Stripe";
    public const string SandboxProvider = "Sandbox";

    public static IServiceCollection AddBilling(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(BillingSqliteMigrations.All);
                services.AddSingleton<IBillingStore, SqliteBillingStore>();
                // Payments are kept de-identified on erasure (bookkeeping law); the rest goes with the user.
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "billing", [new("billing_customers", "customer"), new("subscriptions", "subscription"), new("payments", "payment", ErasedWithUser: false), new("billing_anomalies", "anomaly")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Users, CosmosContainers.Billing, CosmosContainers.Lookups);
                services.AddSingleton<IBillingStore, CosmosBillingStore>();
                // The customer's lookup document is exported and erased with the users section (every lookup naming the user).
                // Payments are kept de-identified on erasure (bookkeeping law); the rest goes with the user.
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "billing", [new(CosmosContainers.Users, "customer", ["customer"]), new(CosmosContainers.Users, "payment", ["payment"], ErasedWithUser: false), new(CosmosContainers.Billing, "subscription", ["subscription"]), new(CosmosContainers.Billing, "anomaly", ["anomaly"])]));
                break;
        }

        services.AddSingleton(backend.Options<BillingOptions>("Billing"));
        var configuration = backend.Configuration;
        var payments = configuration["Payments:Provider"] ?? (backend.Environment.IsProduction() ? StripeProvider : SandboxProvider);
        switch (payments)
        {
            case StripeProvider:
                var stripe = backend.Options<StripeOptions>("Stripe");
                services.AddSingleton(stripe);

                // Stripe.net keeps one StripeClient (and its HttpClient) per key for the app's lifetime, so the pooled
                // connections are recycled by the handler instead of by IHttpClientFactory's handler rotation.
                services.AddHttpClient(StripeGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(stripe.TimeoutSeconds))
                    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
                    .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
                services.AddSingleton<IPaymentGateway, StripeGateway>();
                break;
            case SandboxProvider:
                backend.RefuseInProduction("Payments:Provider=Sandbox (the local payment sandbox)");
                var sandbox = configuration.GetSection("Payments:Sandbox").Get<SandboxOptions>() ?? new SandboxOptions { BaseUrl = $"http://127.0.0.1:{CustomHandlerHosting.ListenPort(configuration, 7071)}" };
                services.AddSingleton(sandbox);
                services.AddHttpClient<ISandboxWebhookTransport, HttpSandboxTransport>(c => c.BaseAddress = new Uri(sandbox.BaseUrl));
                services.AddSingleton<LocalPaymentSandbox>();
                services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<LocalPaymentSandbox>());
                break;
            default:
                throw new InvalidOperationException($"Payments:Provider must be \"{StripeProvider}\" or \"{SandboxProvider}\" (was \"{payments}\").");
        }

        // Use cases: checkout, cancel at period end and the billing portal; the Stripe webhook's dispatcher and one
        // use case per event type.
        services.AddSingleton<StartCheckout>();
        services.AddSingleton<CancelSubscription>();
        services.AddSingleton<OpenBillingPortal>();
        services.AddSingleton<StripeEventHandler>();
        services.AddSingleton<ApplyCheckoutCompleted>();
        services.AddSingleton<ApplySubscriptionChanged>();
        services.AddSingleton<ApplyInvoice>();
        services.AddSingleton<ApplyChargeRefunded>();
        services.AddSingleton<IBillingAnomalyMonitor, LoggingAnomalyMonitor>();
        services.AddSingleton<UserPlanSync>();
        services.AddSingleton<GracePeriodSweep>();
        return services;
    }
}
