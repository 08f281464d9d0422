using Xunit;

namespace Functions.Api.Tests;

/// <summary>A mail provider that cannot send makes sign-up a 503 the client may retry: not a 500, and no provider or configuration text in the answer.</summary>
public sealed class MessageNotSentTests
{
    [Fact]
    public async Task Sign_up_without_a_mail_provider_answers_503_message_not_sent_without_its_reason()
    {
        var settings = new Dictionary<string, string?>(AccountApis.Settings) { ["Messaging:MailProvider"] = "None" };
        using var factory = new ApiFactory(StoreKind.Sqlite, settings);
        using var client = factory.Tenant("alpha");

        var (status, body) = await client.PostAsync("/api/v1/auth/signup", new { email = AccountCalls.NewEmail(), password = AccountCalls.Password });

        Assert.Equal((503, "message_not_sent"), (status, (string)body["code"]!));
        Assert.DoesNotContain("Messaging", body.ToJsonString(), StringComparison.Ordinal);
    }
}
