using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Domain.Messaging;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Messaging;

/// <summary>Mail and SMS senders (section <c>Messaging</c>): the local outbox (refused in Production), SendGrid / Twilio over HTTP, or none.</summary>
public static class MessagingRegistration
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, BackendContext backend)
    {
        var options = backend.Options<MessagingOptions>("Messaging");
        var fallback = backend.Environment.IsProduction() ? MessagingOptions.None : MessagingOptions.Outbox;
        options.MailProvider ??= fallback;
        options.SmsProvider ??= fallback;
        var outbox = options.MailProvider == MessagingOptions.Outbox || options.SmsProvider == MessagingOptions.Outbox;
        if (outbox)
        {
            backend.RefuseInProduction("Messaging: the local outbox (MailProvider/SmsProvider=Outbox)");
            switch (backend.Store)
            {
                case StoreProvider.Sqlite:
                    services.AddSqliteMigrations(MessagingSqliteMigrations.All);
                    services.AddSingleton<SqliteOutbox>();
                    services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<SqliteOutbox>());
                    services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "outbox", [new("outbox_messages", "message")]));
                    break;
                case StoreProvider.Cosmos:
                    services.AddCosmosContainers(CosmosContainers.Lookups);
                    services.AddSingleton<CosmosOutbox>();
                    services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<CosmosOutbox>());
                    services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "outbox", [new(CosmosContainers.Lookups, "message", ["outbox"], UserField: "user_id")]));
                    break;
            }
        }

        Func<IServiceProvider, object> outboxAdapter = backend.Store == StoreProvider.Sqlite ? sp => sp.GetRequiredService<SqliteOutbox>() : sp => sp.GetRequiredService<CosmosOutbox>();
        switch (options.MailProvider)
        {
            case MessagingOptions.Outbox:
                services.AddSingleton(sp => (IMailSender)outboxAdapter(sp));
                break;
            case MessagingOptions.SendGrid:
                var sendGrid = Require(options.SendGridSettings, s => s.FromEmail.Length > 0, "Messaging:SendGridSettings:FromEmail");
                services.AddHttpClient(SendGridMailSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
                services.AddSingleton<IMailSender>(sp => new SendGridMailSender(sp.GetRequiredService<IHttpClientFactory>().CreateClient(SendGridMailSender.HttpClientName), sendGrid, sp.GetRequiredService<ISecretProvider>()));
                break;
            case MessagingOptions.None:
                services.AddSingleton<IMailSender>(new UnconfiguredSender("Messaging:MailProvider"));
                break;
            default:
                throw new InvalidOperationException($"Messaging:MailProvider must be {MessagingOptions.Outbox}, {MessagingOptions.SendGrid} or {MessagingOptions.None} (was \"{options.MailProvider}\").");
        }

        switch (options.SmsProvider)
        {
            case MessagingOptions.Outbox:
                services.AddSingleton(sp => (ISmsSender)outboxAdapter(sp));
                break;
            case MessagingOptions.Twilio:
                var twilio = Require(options.TwilioSettings, t => t.AccountSid.Length > 0 && t.From.Length > 0, "Messaging:TwilioSettings:AccountSid and From");
                services.AddHttpClient(TwilioSmsSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
                services.AddSingleton<ISmsSender>(sp => new TwilioSmsSender(sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioSmsSender.HttpClientName), twilio, sp.GetRequiredService<ISecretProvider>()));
                break;
            case MessagingOptions.None:
                services.AddSingleton<ISmsSender>(new UnconfiguredSender("Messaging:SmsProvider"));
                break;
            default:
                throw new InvalidOperationException($"Messaging:SmsProvider must be {MessagingOptions.Outbox}, {MessagingOptions.Twilio} or {MessagingOptions.None} (was \"{options.SmsProvider}\").");
        }

        return services;
    }

    private static T Require<T>(T settings, Func<T, bool> valid, string what) =>
        valid(settings) ? settings : throw new InvalidOperationException($"{what} must be configured for this messaging provider.");
}
