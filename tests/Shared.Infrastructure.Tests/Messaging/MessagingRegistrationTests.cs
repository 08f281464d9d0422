using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Messaging;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Messaging;
using Xunit;

namespace Shared.Infrastructure.Tests.Messaging;

public sealed class MessagingRegistrationTests
{
    private static BackendContext Backend(string environment, params (string Key, string Value)[] settings) =>
        new(StoreProvider.Sqlite, new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(), new TestHostEnvironment(environment));

    [Theory]
    [InlineData("Outbox", "Twilio")]
    [InlineData("SendGrid", "Outbox")]
    public void The_local_outbox_is_refused_in_production(string mail, string sms)
    {
        var backend = Backend("Production", ("Messaging:MailProvider", mail), ("Messaging:SmsProvider", sms), ("Messaging:SendGridSettings:FromEmail", "a@example.com"), ("Messaging:TwilioSettings:AccountSid", "AC1"), ("Messaging:TwilioSettings:From", "+14155550100"));

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMessaging(backend));

        Assert.Contains("refused in the Production environment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_with_the_http_providers_registers_them_and_no_outbox()
    {
        var services = new ServiceCollection().AddMessaging(Backend("Production", ("Messaging:MailProvider", "SendGrid"), ("Messaging:SmsProvider", "Twilio"), ("Messaging:SendGridSettings:FromEmail", "a@example.com"), ("Messaging:TwilioSettings:AccountSid", "AC1"), ("Messaging:TwilioSettings:From", "+14155550100")));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IOutbox));
        Assert.Contains(services, d => d.ServiceType == typeof(IMailSender));
        Assert.Contains(services, d => d.ServiceType == typeof(ISmsSender));
    }

    [Fact]
    public async Task Production_without_providers_starts_and_every_send_says_it_is_not_configured()
    {
        using var provider = new ServiceCollection().AddMessaging(Backend("Production")).BuildServiceProvider();

        Assert.Null(provider.GetService<IOutbox>());
        var error = await Assert.ThrowsAsync<MessageNotSentException>(() => provider.GetRequiredService<ISmsSender>().SendAsync(new SmsMessage(Domain.Common.TenantId.Parse("alpha"), Domain.Accounts.PhoneNumber.TryParse("+14155550100", out var p) ? p.Value : default, "x", null, null), default));
        Assert.Contains("no provider is configured", error.Message, StringComparison.Ordinal);
        Assert.IsType<UnconfiguredSender>(provider.GetRequiredService<IMailSender>());
    }

    [Theory]
    [InlineData("Messaging:MailProvider", "Carrier-pigeon")]
    [InlineData("Messaging:SmsProvider", "Smoke")]
    public void An_unknown_provider_is_refused_at_start(string key, string value) =>
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMessaging(Backend("Testing", (key, value))));

    [Fact]
    public void SendGrid_without_a_sender_address_is_refused_at_start() =>
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddMessaging(Backend("Testing", ("Messaging:MailProvider", "SendGrid"))));
}
