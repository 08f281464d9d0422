using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Notifications;
using Shared.Domain.Privacy;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>
/// The in-app inbox, push devices, the verified-phone lookup and their personal data on both stores: a message id is
/// stored once, the inbox pages newest first, read marks are per user, and no tenant or user sees another's.
/// </summary>
public abstract class NotificationStoreScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static CampaignNotification Message(TenantId tenant, UserId user, string campaign, string text = "20% off at Ravi's") =>
        new(tenant, user, NotificationChannel.InApp, $"{campaign}:{user.Value}:in_app", campaign, "offer-" + campaign, text);

    [StoreFact]
    public async Task The_inbox_sender_stores_a_message_once_however_often_it_is_delivered()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var sender = store.Get<IEnumerable<INotificationSender>>().Single(s => s.Channel == NotificationChannel.InApp);
        var user = UserId.New();
        var message = Message(Alpha, user, "c1");

        Assert.Equal(DeliveryOutcome.Delivered, await sender.SendAsync(message, default));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(DeliveryOutcome.Delivered, await sender.SendAsync(message with { Text = "changed on redelivery" }, default));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => sender.SendAsync(message, default)));

        var page = await store.Get<INotificationInbox>().ListAsync(Alpha, user, null, 50, default);
        var stored = Assert.Single(page.Items);
        Assert.Equal((InboxIds.Of(message.MessageId), "c1", "offer-c1", "20% off at Ravi's", false, Now), (stored.Id, stored.CampaignId, stored.OfferId, stored.Text, stored.Read, stored.CreatedAt));
        Assert.Null(page.Cursor);
    }

    [StoreFact]
    public async Task The_inbox_pages_newest_first_with_ties_broken_by_id_and_shows_only_the_users_own()
    {
        await using var store = await StoreAsync();
        var inbox = store.Get<INotificationInbox>();
        var user = UserId.New();
        var other = UserId.New();
        for (var i = 0; i < 7; i++)
        {
            // Pairs share a creation time, so the cursor must break ties.
            Assert.True(await inbox.TryAddAsync(Message(Alpha, user, $"c{i}"), Now.AddMinutes(i / 2), default));
        }

        Assert.True(await inbox.TryAddAsync(Message(Alpha, other, "c0"), Now.AddHours(1), default));
        Assert.True(await inbox.TryAddAsync(Message(Beta, user, "c9"), Now.AddHours(1), default));

        var seen = new List<InboxNotification>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await inbox.ListAsync(Alpha, user, cursor, 3, default);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items);
            cursor = page.Cursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Select(n => n.Id).Distinct().Count());
        Assert.All(seen, n => Assert.StartsWith("offer-c", n.OfferId, StringComparison.Ordinal));
        Assert.DoesNotContain(seen, n => n.CampaignId == "c9");
        var expected = seen.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id, StringComparer.Ordinal).Select(n => n.Id).ToList();
        Assert.Equal(expected, seen.Select(n => n.Id));
        Assert.Empty((await inbox.ListAsync(Beta, other, null, 50, default)).Items);
        await Assert.ThrowsAsync<InvalidContinuationException>(() => inbox.ListAsync(Alpha, user, "not-a-cursor", 3, default));
        await Assert.ThrowsAsync<InvalidContinuationException>(() => inbox.ListAsync(Alpha, user, "12:../../x", 3, default));
    }

    [StoreFact]
    public async Task Marking_read_is_idempotent_and_only_the_owner_can_do_it()
    {
        await using var store = await StoreAsync();
        var inbox = store.Get<INotificationInbox>();
        var user = UserId.New();
        var message = Message(Alpha, user, "c1");
        await inbox.TryAddAsync(message, Now, default);
        await inbox.TryAddAsync(Message(Alpha, user, "c2"), Now, default);
        var id = InboxIds.Of(message.MessageId);

        Assert.False(await inbox.MarkReadAsync(Alpha, UserId.New(), id, default)); // another user's id
        Assert.False(await inbox.MarkReadAsync(Beta, user, id, default)); // the same user id in another tenant
        Assert.False(await inbox.MarkReadAsync(Alpha, user, InboxIds.Of("unknown"), default));
        Assert.All((await inbox.ListAsync(Alpha, user, null, 50, default)).Items, n => Assert.False(n.Read));

        Assert.True(await inbox.MarkReadAsync(Alpha, user, id, default));
        Assert.True(await inbox.MarkReadAsync(Alpha, user, id, default));

        var items = (await inbox.ListAsync(Alpha, user, null, 50, default)).Items;
        Assert.True(items.Single(n => n.Id == id).Read);
        Assert.False(items.Single(n => n.Id != id).Read);
    }

    [StoreFact]
    public async Task Devices_are_per_user_newest_first_refreshed_on_repeat_and_bounded()
    {
        await using var store = await StoreAsync();
        var devices = store.Get<IPushDeviceStore>();
        var user = UserId.New();
        var other = UserId.New();
        for (var i = 0; i < PushDevices.MaxPerUser; i++)
        {
            await devices.RegisterAsync(Alpha, user, $"token-{i}", Now.AddMinutes(i), default);
        }

        await devices.RegisterAsync(Alpha, user, "token-0", Now.AddHours(1), default); // the oldest, registered again
        await devices.RegisterAsync(Alpha, user, "token-new", Now.AddHours(2), default); // one more than the bound
        await devices.RegisterAsync(Alpha, other, "token-1", Now, default);

        var listed = await devices.ListAsync(Alpha, user, default);
        Assert.Equal(PushDevices.MaxPerUser, listed.Count);
        Assert.Equal(["token-new", "token-0", "token-9"], listed.Take(3));
        Assert.DoesNotContain("token-1", listed); // the least recently registered went
        Assert.Equal(["token-1"], await devices.ListAsync(Alpha, other, default));
        Assert.Empty(await devices.ListAsync(Beta, user, default));

        Assert.True(await devices.RemoveAsync(Alpha, user, "token-new", default));
        Assert.False(await devices.RemoveAsync(Alpha, user, "token-new", default));
        Assert.False(await devices.RemoveAsync(Alpha, user, "token-1", default)); // the other user's token
        Assert.Equal(["token-1"], await devices.ListAsync(Alpha, other, default));
        Assert.Equal(PushDevices.MaxPerUser - 1, (await devices.ListAsync(Alpha, user, default)).Count);
    }

    [StoreFact]
    public async Task The_verified_phone_is_the_one_the_user_proved_by_otp_in_their_tenant()
    {
        await using var store = await StoreAsync();
        var accounts = store.Get<IAccountStore>();
        var phones = store.Get<IVerifiedPhoneDirectory>();
        var user = UserId.New();
        var number = $"+9198{Random.Shared.Next(10_000_000, 99_999_999)}";
        Assert.True(PhoneNumber.TryParse(number, out var phone));

        Assert.Null(await phones.FindAsync(Alpha, user, default));
        Assert.Equal(user, await accounts.ClaimPhoneAsync(Alpha, phone!.Value, user, Now, default));

        Assert.Equal(number, (await phones.FindAsync(Alpha, user, default))?.Value);
        Assert.Null(await phones.FindAsync(Beta, user, default));
        Assert.Null(await phones.FindAsync(Alpha, UserId.New(), default));
    }

    [StoreFact]
    public async Task Export_holds_the_inbox_and_devices_and_erasure_removes_only_the_users()
    {
        await using var store = await StoreAsync();
        var inbox = store.Get<INotificationInbox>();
        var devices = store.Get<IPushDeviceStore>();
        var section = store.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "notifications");
        var user = UserId.New();
        var other = UserId.New();
        await inbox.TryAddAsync(Message(Alpha, user, "c1", "Diwali sale"), Now, default);
        await inbox.TryAddAsync(Message(Alpha, other, "c1"), Now, default);
        await devices.RegisterAsync(Alpha, user, "token-of-user", Now, default);
        await devices.RegisterAsync(Alpha, other, "token-of-other", Now, default);
        await devices.RegisterAsync(Beta, user, "token-in-beta", Now, default);

        var export = await section.ExportAsync(Alpha, user, default);
        Assert.Equal(["notification", "push_device"], export.Records.Select(r => r.Kind).Order(StringComparer.Ordinal));
        Assert.Equal("Diwali sale", export.Records.Single(r => r.Kind == "notification").Fields["text"]);
        Assert.Equal("token-of-user", export.Records.Single(r => r.Kind == "push_device").Fields["fcm_token"]);

        Assert.Equal(2, await section.EraseAsync(Alpha, user, default));
        Assert.Equal(0, await section.EraseAsync(Alpha, user, default));
        Assert.Empty((await section.ExportAsync(Alpha, user, default)).Records);
        Assert.Empty((await inbox.ListAsync(Alpha, user, null, 50, default)).Items);
        Assert.Single((await inbox.ListAsync(Alpha, other, null, 50, default)).Items);
        Assert.Equal(["token-of-other"], await devices.ListAsync(Alpha, other, default));
        Assert.Equal(["token-in-beta"], await devices.ListAsync(Beta, user, default));
    }
}
