using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shared.Domain.Notifications;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Notifications (section <c>Notifications</c>): the in-app inbox and the push devices in the chosen store (always;
/// both are personal data, exported and erased with the user), the inbox sender, and the push (FCM HTTP v1) and
/// WhatsApp (Cloud API) senders when configured. A named provider with a missing setting stops the start.
/// </summary>
public static partial class NotificationsRegistration
{
    /// <summary>
    /// A provider client's defaults: a slower first backoff and a shorter attempt timeout than the other REST clients
    /// (a batch of messages waits on them). The breaker's defaults are <see cref="OutboundHttpOptions"/>'s: while a
    /// provider is down, messages are deferred at once instead of each paying its retries.
    /// </summary>
    public static OutboundHttpOptions DefaultHttp() => new()
    {
        MaxRetries = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(500),
        MaxRetryAfter = TimeSpan.FromSeconds(30),
        AttemptTimeout = TimeSpan.FromSeconds(15),
    };

    public static IServiceCollection AddNotifications(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(NotificationsSqliteMigrations.All);
                services.AddSingleton<INotificationInbox, SqliteNotificationInbox>();
                services.AddSingleton<IPushDeviceStore, SqlitePushDeviceStore>();
                services.AddSingleton<IVerifiedPhoneDirectory, SqliteVerifiedPhoneDirectory>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(sp.GetRequiredService<SqliteDatabase>(), "notifications", [new("inbox_notifications", "notification"), new("push_devices", "push_device")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Notifications, CosmosContainers.Lookups);
                services.AddSingleton<INotificationInbox, CosmosNotificationInbox>();
                services.AddSingleton<IPushDeviceStore, CosmosPushDeviceStore>();
                services.AddSingleton<IVerifiedPhoneDirectory, CosmosVerifiedPhoneDirectory>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(sp.GetRequiredService<CosmosDatabase>(), "notifications", [new(CosmosContainers.Notifications, "notification", ["inbox"]), new(CosmosContainers.Notifications, "push_device", ["push_device"])]));
                break;
        }

        services.AddSingleton<INotificationSender, InboxNotificationSender>();
        var options = backend.Options<NotificationsOptions>("Notifications");
        switch (options.Push.Provider)
        {
            case null or "" or NotificationsOptions.None:
                break;
            case NotificationsOptions.Fcm:
                var fcm = ValidFcm(options.Push.Fcm);
                services.AddHttpClient(ServiceAccountTokenSource.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
                services.AddSingleton<IGoogleAccessTokenSource>(sp => new ServiceAccountTokenSource(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ServiceAccountTokenSource.HttpClientName), sp.GetRequiredService<ISecretProvider>(), sp.GetRequiredService<TimeProvider>()));
                services.AddHttpClient(FcmNotificationSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
                    .AddOutboundResilience(FcmNotificationSender.HttpClientName, _ => fcm.Http);
                services.AddSingleton<INotificationSender>(sp => new FcmNotificationSender(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(FcmNotificationSender.HttpClientName),
                    fcm,
                    sp.GetRequiredService<IGoogleAccessTokenSource>(),
                    sp.GetRequiredService<IPushDeviceStore>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<FcmNotificationSender>>()));
                break;
            default:
                throw new InvalidOperationException($"Notifications:Push:Provider must be {NotificationsOptions.Fcm} or {NotificationsOptions.None} (was \"{options.Push.Provider}\").");
        }

        switch (options.WhatsApp.Provider)
        {
            case null or "" or NotificationsOptions.None:
                break;
            case NotificationsOptions.Cloud:
                var cloud = ValidCloud(options.WhatsApp.Cloud);
                services.AddHttpClient(WhatsAppCloudSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
                    .AddOutboundResilience(WhatsAppCloudSender.HttpClientName, _ => cloud.Http, WhatsAppCloudSender.IsRateLimitedAsync);
                services.AddSingleton<INotificationSender>(sp => new WhatsAppCloudSender(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(WhatsAppCloudSender.HttpClientName),
                    cloud,
                    sp.GetRequiredService<ISecretProvider>(),
                    sp.GetRequiredService<IVerifiedPhoneDirectory>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<WhatsAppCloudSender>>()));
                break;
            default:
                throw new InvalidOperationException($"Notifications:WhatsApp:Provider must be {NotificationsOptions.Cloud} or {NotificationsOptions.None} (was \"{options.WhatsApp.Provider}\").");
        }

        return services;
    }

    private static FcmOptions ValidFcm(FcmOptions fcm)
    {
        if (!ProjectIdPattern().IsMatch(fcm.ProjectId))
        {
            throw new InvalidOperationException("Notifications:Push:Fcm:ProjectId must be the Firebase project id (lower-case letters, digits and dashes) when Notifications:Push:Provider is Fcm.");
        }

        if (string.IsNullOrWhiteSpace(fcm.Title))
        {
            throw new InvalidOperationException("Notifications:Push:Fcm:Title must not be empty.");
        }

        RequireAbsoluteHttps(fcm.BaseUrl, "Notifications:Push:Fcm:BaseUrl");
        fcm.Http.Validate("Notifications:Push:Fcm:Http");
        return fcm;
    }

    private static WhatsAppCloudOptions ValidCloud(WhatsAppCloudOptions cloud)
    {
        if (!PhoneNumberIdPattern().IsMatch(cloud.PhoneNumberId))
        {
            throw new InvalidOperationException("Notifications:WhatsApp:Cloud:PhoneNumberId must be the business phone number's id (digits) when Notifications:WhatsApp:Provider is Cloud.");
        }

        if (!ApiVersionPattern().IsMatch(cloud.ApiVersion))
        {
            throw new InvalidOperationException($"Notifications:WhatsApp:Cloud:ApiVersion must look like v23.0 (was \"{cloud.ApiVersion}\").");
        }

        RequireAbsoluteHttps(cloud.BaseUrl, "Notifications:WhatsApp:Cloud:BaseUrl");
        cloud.Http.Validate("Notifications:WhatsApp:Cloud:Http");
        return cloud;
    }

    /// <summary>A provider URL must be absolute and end in '/' (paths are appended); plain http only for a loopback test server.</summary>
    private static void RequireAbsoluteHttps(Uri url, string setting)
    {
        if (!url.IsAbsoluteUri || !url.AbsolutePath.EndsWith('/') || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw new InvalidOperationException($"{setting} must be an absolute https URL ending in '/'.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{4,61}[a-z0-9]$")]
    private static partial Regex ProjectIdPattern();

    [GeneratedRegex("^[0-9]{1,30}$")]
    private static partial Regex PhoneNumberIdPattern();

    [GeneratedRegex(@"^v[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex ApiVersionPattern();
}
