using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Users;
using Shared.Infrastructure.Messaging;
using Shared.Infrastructure.Secrets;
using Xunit;

namespace Shared.Infrastructure.Tests.Messaging;

/// <summary>The production mail and SMS adapters against a local server on 127.0.0.1 standing in for SendGrid and Twilio.</summary>
public sealed class HttpMessageSenderTests : IAsyncLifetime
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private RecordingServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync(defaultStatus: 202);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static ConfigurationSecretProvider Secrets() => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Secrets:sendgrid_api_key"] = "SG.test-key",
        ["Secrets:twilio_auth_token"] = "twilio-token",
    }).Build());

    private SendGridMailSender SendGrid(ISecretProvider? secrets = null) =>
        new(new HttpClient(), new SendGridOptions { BaseUrl = _server.BaseAddress, FromEmail = "no-reply@alpha.example", FromName = "Alpha" }, secrets ?? Secrets());

    private TwilioSmsSender Twilio() =>
        new(new HttpClient(), new TwilioOptions { BaseUrl = _server.BaseAddress, AccountSid = "AC123", From = "+14155550100" }, Secrets());

    private static MailMessage Mail() => new(Alpha, EmailAddress.TryParse("user@example.com", out var e) ? e.Value : default, "Your code", "Your code is 123456.", "123456", UserId.New());

    [Fact]
    public async Task SendGrid_gets_a_v3_mail_send_with_the_bearer_key_and_the_message()
    {
        await SendGrid().SendAsync(Mail(), default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/v3/mail/send"), (request.Method, request.Path));
        Assert.Equal("Bearer SG.test-key", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("user@example.com", (string)body["personalizations"]![0]!["to"]![0]!["email"]!);
        Assert.Equal("no-reply@alpha.example", (string)body["from"]!["email"]!);
        Assert.Equal("Alpha", (string)body["from"]!["name"]!);
        Assert.Equal("Your code", (string)body["subject"]!);
        Assert.Equal("text/plain", (string)body["content"]![0]!["type"]!);
        Assert.Equal("Your code is 123456.", (string)body["content"]![0]!["value"]!);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task A_SendGrid_refusal_is_a_MessageNotSentException_with_its_status(int status)
    {
        _server.Script.Enqueue((status, """{"errors":[{"message":"nope"}]}""", null));

        var error = await Assert.ThrowsAsync<MessageNotSentException>(() => SendGrid().SendAsync(Mail(), default));

        Assert.Equal(status, error.ProviderStatus);
        Assert.DoesNotContain("123456", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_from_SendGrid_drops_the_cached_key()
    {
        var secrets = new CountingSecrets(Secrets());
        _server.Script.Enqueue((401, "{}", null));

        await Assert.ThrowsAsync<MessageNotSentException>(() => SendGrid(secrets).SendAsync(Mail(), default));

        Assert.Equal([SendGridOptions.ApiKeySecret], secrets.Invalidated);
    }

    [Fact]
    public async Task Twilio_gets_a_form_post_to_the_accounts_messages_with_basic_auth()
    {
        _server.Script.Enqueue((201, """{"sid":"SM1"}""", null));

        await Twilio().SendAsync(new SmsMessage(Alpha, PhoneNumber.TryParse("+919876543210", out var p) ? p.Value : default, "123456 is your code", "123456", null), default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/2010-04-01/Accounts/AC123/Messages.json"), (request.Method, request.Path));
        Assert.Equal("Basic " + Convert.ToBase64String("AC123:twilio-token"u8.ToArray()), request.Headers["Authorization"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        var form = System.Web.HttpUtility.ParseQueryString(request.Body);
        Assert.Equal(("+919876543210", "+14155550100", "123456 is your code"), (form["To"], form["From"], form["Body"]));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(503)]
    public async Task A_Twilio_refusal_is_a_MessageNotSentException_with_its_status(int status)
    {
        _server.Script.Enqueue((status, """{"code":21211,"message":"invalid"}""", null));

        var error = await Assert.ThrowsAsync<MessageNotSentException>(() => Twilio().SendAsync(new SmsMessage(Alpha, PhoneNumber.TryParse("+919876543210", out var p) ? p.Value : default, "body", null, null), default));

        Assert.Equal(status, error.ProviderStatus);
    }

    private sealed class CountingSecrets(ISecretProvider inner) : ISecretProvider
    {
        public List<string> Invalidated { get; } = [];

        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => inner.FindAsync(name, cancellationToken);

        public void Invalidate(string name) => Invalidated.Add(name);
    }
}
