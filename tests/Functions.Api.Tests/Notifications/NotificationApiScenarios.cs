using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Users;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// The inbox and device endpoints per store: own inbox only, newest first, an opaque continuation, idempotent read
/// marks (another user's id is 404), devices registered and removed, the export holding both, and bad input refused
/// with a code and nothing changed.
/// </summary>
public abstract class NotificationApiScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    protected abstract ApiFactory Factory { get; }

    private INotificationInbox Inbox => Factory.Services.GetRequiredService<INotificationInbox>();

    private IPushDeviceStore Devices => Factory.Services.GetRequiredService<IPushDeviceStore>();

    private Task<(HttpClient Client, UserId User)> CustomerAsync() => Factory.CallerAsync(Alpha.Value, Role.User);

    private static CampaignNotification Message(UserId user, int i) =>
        new(Alpha, user, NotificationChannel.InApp, $"camp-{i}:{user.Value}:in_app", $"camp-{i}", $"offer-{i}", $"Offer number {i}");

    private static async Task<(HttpStatusCode Status, string? Code)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text.TrimStart().StartsWith('{') ? (string?)JsonNode.Parse(text)!["code"] : null);
    }

    protected async Task The_inbox_pages_the_callers_own_notifications_newest_first_and_read_marks_stick_core()
    {
        var (client, user) = await CustomerAsync();
        var (otherClient, other) = await CustomerAsync();
        var start = Factory.Clock.GetUtcNow();
        for (var i = 0; i < 53; i++)
        {
            Assert.True(await Inbox.TryAddAsync(Message(user, i), start.AddSeconds(i), default));
        }

        Assert.True(await Inbox.TryAddAsync(Message(other, 99), start, default));

        var first = await client.GetOkAsync("/api/v1/notifications");
        var items = first["items"]!.AsArray();
        Assert.Equal(50, items.Count);
        var newest = items[0]!;
        Assert.Equal(("camp-52", "offer-52", "Offer number 52", false), ((string)newest["campaign_id"]!, (string)newest["offer_id"]!, (string)newest["text"]!, (bool)newest["read"]!));
        Assert.Equal(start.AddSeconds(52), DateTimeOffset.Parse((string)newest["created_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(InboxIds.Of($"camp-52:{user.Value}:in_app"), (string)newest["id"]!);
        var continuation = (string)first["continuation"]!;
        Assert.DoesNotContain(':', continuation); // opaque: the store's cursor is encoded

        var second = await client.GetOkAsync("/api/v1/notifications?continuation=" + Uri.EscapeDataString(continuation));
        Assert.Equal(["camp-2", "camp-1", "camp-0"], second["items"]!.AsArray().Select(n => (string)n!["campaign_id"]!));
        Assert.Null(second["continuation"]);

        var otherItems = (await otherClient.GetOkAsync("/api/v1/notifications"))["items"]!.AsArray();
        Assert.Equal(["camp-99"], otherItems.Select(n => (string)n!["campaign_id"]!));

        var id = (string)newest["id"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(otherClient, HttpMethod.Post, $"/api/v1/notifications/{id}/read")).Status);
        Assert.Equal((HttpStatusCode.NoContent, null), await SendAsync(client, HttpMethod.Post, $"/api/v1/notifications/{id}/read"));
        Assert.Equal((HttpStatusCode.NoContent, null), await SendAsync(client, HttpMethod.Post, $"/api/v1/notifications/{id}/read"));

        var after = (await client.GetOkAsync("/api/v1/notifications"))["items"]!.AsArray();
        Assert.True((bool)after[0]!["read"]!);
        Assert.All(after.Skip(1), n => Assert.False((bool)n!["read"]!));
        Assert.False((bool)otherItems[0]!["read"]!);
    }

    protected async Task Devices_are_registered_and_removed_and_exported_with_the_inbox_core()
    {
        var (client, user) = await CustomerAsync();
        await Inbox.TryAddAsync(Message(user, 1), Factory.Clock.GetUtcNow(), default);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Put, "/api/v1/customers/me/devices", """{"fcm_token":"fcm:APA91b-device-one"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Put, "/api/v1/customers/me/devices", """{"fcm_token":"fcm:APA91b-device-two"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Put, "/api/v1/customers/me/devices", """{"fcm_token":"fcm:APA91b-device-one"}""")).Status);
        Assert.Equal(["fcm:APA91b-device-one", "fcm:APA91b-device-two"], (await Devices.ListAsync(Alpha, user, default)).Order(StringComparer.Ordinal));

        var export = await client.GetOkAsync("/api/v1/users/me/export");
        var section = export["sections"]!.AsArray().Single(s => (string)s!["name"]! == "notifications")!;
        Assert.Equal(["notification", "push_device", "push_device"], section["records"]!.AsArray().Select(r => (string)r!["kind"]!).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, "/api/v1/customers/me/devices", """{"fcm_token":"fcm:APA91b-device-two"}""")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, "/api/v1/customers/me/devices", """{"fcm_token":"fcm:APA91b-device-two"}""")).Status);
        Assert.Equal(["fcm:APA91b-device-one"], await Devices.ListAsync(Alpha, user, default));
    }

    protected async Task Bad_input_is_refused_with_a_code_and_changes_nothing_core()
    {
        var (client, user) = await CustomerAsync();
        for (var i = 0; i < 3; i++)
        {
            await Inbox.TryAddAsync(Message(user, i), Factory.Clock.GetUtcNow(), default);
        }

        foreach (var continuation in new[] { "not base64!", "bm90LWEtY3Vyc29y", ContinuationText.Encode("12:" + new string('z', 32)), ContinuationText.Encode("-1:" + new string('a', 32)) })
        {
            using var response = await client.GetAsync("/api/v1/notifications?continuation=" + Uri.EscapeDataString(continuation));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_continuation", (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
        }

        using (var repeated = await client.GetAsync("/api/v1/notifications?continuation=a&continuation=b"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, repeated.StatusCode);
            Assert.Equal("invalid_continuation", (string)(await ApiCalls.ReadObjectAsync(repeated))["code"]!);
        }

        // An empty continuation is the first page, as on every list.
        Assert.Equal(3, (await client.GetOkAsync("/api/v1/notifications?continuation="))["items"]!.AsArray().Count);

        Assert.Equal((HttpStatusCode.NotFound, "notification_not_found"), await SendAsync(client, HttpMethod.Post, "/api/v1/notifications/not-an-id/read"));
        Assert.Equal((HttpStatusCode.NotFound, "notification_not_found"), await SendAsync(client, HttpMethod.Post, $"/api/v1/notifications/{InboxIds.Of("unknown")}/read"));

        var cases = new (string? Body, string MediaType, HttpStatusCode Status, string Code)[]
        {
            (null, "application/json", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("fcm_token=abc", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ("", "application/json", HttpStatusCode.BadRequest, "invalid_json"),
            ("{not json", "application/json", HttpStatusCode.BadRequest, "invalid_json"),
            ("{}", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("""{"fcm_token":5}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("""{"fcm_token":""}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ("""{"fcm_token":"has a space"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ($$"""{"fcm_token":"{{new string('a', PushDevices.MaxTokenLength + 1)}}"}""", "application/json", HttpStatusCode.BadRequest, "validation_failed"),
            ($$"""{"fcm_token":"{{new string('a', 20_000)}}"}""", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        };
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete })
        {
            foreach (var (body, mediaType, status, code) in cases)
            {
                Assert.Equal((status, code), await SendAsync(client, method, "/api/v1/customers/me/devices", body, mediaType));
            }
        }

        Assert.Empty(await Devices.ListAsync(Alpha, user, default));
        Assert.All((await Inbox.ListAsync(Alpha, user, null, 50, default)).Items, n => Assert.False(n.Read));
    }
}
