using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Notifications;
using Xunit;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>Which senders the configuration registers, and that a half-configured provider stops the start.</summary>
public sealed class NotificationsRegistrationTests
{
    private static readonly (string, string)[] Fcm = [("Notifications:Push:Provider", "Fcm"), ("Notifications:Push:Fcm:ProjectId", "doffers-demo")];
    private static readonly (string, string)[] Cloud = [("Notifications:WhatsApp:Provider", "Cloud"), ("Notifications:WhatsApp:Cloud:PhoneNumberId", "106540352242922")];

    /// <summary>The settings in order; a later one replaces an earlier one of the same key.</summary>
    private static IServiceCollection Register(string environment, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ServiceCollection().AddNotifications(new BackendContext(StoreProvider.Sqlite, new ConfigurationBuilder().AddInMemoryCollection(values).Build(), new TestHostEnvironment(environment)));
    }

    private static List<Type> Senders(IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(INotificationSender)).Select(d => d.ImplementationType ?? d.ImplementationFactory!.Method.ReturnType)];

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void Without_configuration_only_the_inbox_is_registered(string environment)
    {
        var services = Register(environment);

        Assert.Equal([typeof(InboxNotificationSender)], Senders(services));
    }

    [Fact]
    public void Configured_providers_add_their_senders_in_production()
    {
        var services = Register("Production", [.. Fcm, .. Cloud]);

        Assert.Equal(3, services.Count(d => d.ServiceType == typeof(INotificationSender)));
        Assert.Contains(services, d => d.ServiceType == typeof(IGoogleAccessTokenSource));
    }

    [Fact]
    public async Task The_configured_senders_resolve_one_per_channel()
    {
        var clock = new TestSupport.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var store = await StoreSet.CreateAsync(
            new Dictionary<string, string?>
            {
                ["Store:Provider"] = "Sqlite",
                ["Sqlite:Path"] = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "test.db"),
                ["Secrets:jwt_signing_key"] = "store-tests-signing-key-0123456789abcdef0123456789",
                ["Notifications:Push:Provider"] = "Fcm",
                ["Notifications:Push:Fcm:ProjectId"] = "doffers-demo",
                ["Notifications:WhatsApp:Provider"] = "Cloud",
                ["Notifications:WhatsApp:Cloud:PhoneNumberId"] = "106540352242922",
            },
            clock);

        var channels = store.Get<IEnumerable<INotificationSender>>().Select(s => s.Channel).Order().ToList();

        Assert.Equal([NotificationChannel.InApp, NotificationChannel.Push, NotificationChannel.WhatsApp], channels);
    }

    [Theory]
    [InlineData("Notifications:Push:Provider", "Fcm", "ProjectId")]
    [InlineData("Notifications:WhatsApp:Provider", "Cloud", "PhoneNumberId")]
    public void A_provider_without_its_id_stops_the_start(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Register("Production", (key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Notifications:Push:Provider", "Apns")]
    [InlineData("Notifications:WhatsApp:Provider", "Twilio")]
    public void An_unknown_provider_stops_the_start(string key, string value) =>
        Assert.Throws<InvalidOperationException>(() => Register("Production", (key, value)));

    [Theory]
    [InlineData("Notifications:WhatsApp:Cloud:ApiVersion", "23")]
    [InlineData("Notifications:WhatsApp:Cloud:BaseUrl", "http://graph.facebook.com/")]
    [InlineData("Notifications:WhatsApp:Cloud:Http:MaxRetries", "50")]
    [InlineData("Notifications:WhatsApp:Cloud:Http:BreakMinimumThroughput", "1")]
    public void A_malformed_whatsapp_setting_stops_the_start(string key, string value) =>
        Assert.Throws<InvalidOperationException>(() => Register("Production", [.. Cloud, (key, value)]));

    [Theory]
    [InlineData("Notifications:Push:Fcm:ProjectId", "Has Spaces")]
    [InlineData("Notifications:Push:Fcm:Title", " ")]
    [InlineData("Notifications:Push:Fcm:Http:BreakDuration", "00:00:00.1")]
    public void A_malformed_fcm_setting_stops_the_start(string key, string value) =>
        Assert.Throws<InvalidOperationException>(() => Register("Production", [.. Fcm, (key, value)]));
}
