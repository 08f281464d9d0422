using Shared.Domain.Audit;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Infrastructure.Tests.Privacy;

/// <summary>
/// The personal-data seam over every feature that stores data about a user: export returns the user's records of each
/// section; erase removes them and leaves another user of the tenant and the same user id in another tenant untouched.
/// </summary>
public abstract class PersonalDataScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync();

    [StoreFact]
    public async Task Export_returns_every_features_records_of_the_user_and_erase_removes_only_them()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var other = UserId.New();
        await SeedAsync(store, Alpha, user, UserId.New());
        await SeedAsync(store, Alpha, other, UserId.New());
        await SeedAsync(store, Beta, user, UserId.New()); // the same user id in another tenant
        var sections = store.Get<IEnumerable<IPersonalDataStore>>().ToList();

        var referrer = (await store.Get<IReferralStore>().GetAsync(Alpha, user, default))!.ReferrerId;
        var referrals = sections.Single(s => s.Section == "referrals");
        var asReferrer = Assert.Single((await referrals.ExportAsync(Alpha, referrer, default)).Records);
        var before = await ExportAllAsync(sections, Alpha, user);
        var otherBefore = await ExportAllAsync(sections, Alpha, other);
        var betaBefore = await ExportAllAsync(sections, Beta, user);
        var erased = 0;
        foreach (var section in sections)
        {
            erased += await section.EraseAsync(Alpha, user, default);
        }

        Assert.Equal(["accounts", "audit", "billing", "campaigns", "data_sharing", "data_sharing_contributions", "feature_requests", "invoices", "jobs", "marketplace", "notifications", "outbox", "quotas", "referrals", "role_applications", "roles", "usage", "users", "wallets"], sections.Select(s => s.Section).Order(StringComparer.Ordinal));
        Assert.All(before.Where(s => s.Key != "jobs"), s => Assert.NotEmpty(s.Value)); // no job was sent here (the API test sends one)
        // The campaign snapshot and the delivery to the user are theirs to see (on Cosmos inside batch documents shared with other customers).
        Assert.Equal((1, 1, 1), (before["campaigns"].Count(r => r.Kind == "campaign_recipient"), before["campaigns"].Count(r => r.Kind == "campaign_delivery"), before["campaigns"].Count(r => r.Kind == "offer_like")));
        Assert.All(before.SelectMany(s => s.Value).SelectMany(r => r.Fields.Values), v => Assert.False(v is not null && v.Contains(other.Value, StringComparison.Ordinal)));
        Assert.Equal(before.Sum(s => s.Value.Count), erased);
        Assert.All(await ExportAllAsync(sections, Alpha, user), s => Assert.Empty(s.Value));
        Assert.Equal(Describe(otherBefore), Describe(await ExportAllAsync(sections, Alpha, other)));
        Assert.Equal(Describe(betaBefore), Describe(await ExportAllAsync(sections, Beta, user)));
        Assert.Equal("referrer", asReferrer.Kind);
        Assert.Empty((await referrals.ExportAsync(Alpha, referrer, default)).Records); // a referral names both users: it goes with either
        Assert.Null(await store.Users.GetAsync(Alpha, user, default));
        var kept = Assert.Single(await store.Get<IBillingStore>().ListPaymentsAsync(Alpha, ErasedUserKey.PseudonymOf(Alpha, user), default)); // the law keeps payments, de-identified
        Assert.Equal((500L, "USD"), (kept.Amount.MinorUnits, kept.Amount.Currency));
        Assert.NotNull(await store.Users.GetAsync(Alpha, other, default));
        Assert.NotNull(await store.Users.GetAsync(Beta, user, default));

        var again = 0;
        foreach (var section in sections)
        {
            again += await section.EraseAsync(Alpha, user, default);
        }

        Assert.Equal(0, again); // a repeat finds nothing left
    }

    [StoreFact]
    public async Task Erasing_a_referrer_keeps_the_referred_users_referral_de_identified_so_they_cannot_be_referred_again()
    {
        await using var store = await StoreAsync();
        var referred = UserId.New();
        var referrer = UserId.New();
        await SeedAsync(store, Alpha, referred, referrer);
        var referrals = store.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "referrals");
        var exported = Assert.Single((await referrals.ExportAsync(Alpha, referrer, default)).Records);

        var erased = await referrals.EraseAsync(Alpha, referrer, default);
        var again = await store.Get<IReferralStore>().TryCreateAsync(new Referral(Alpha, UserId.New(), referred, ReferralStatus.Pending, Now), default);

        Assert.Equal("referrer", exported.Kind);
        Assert.Equal(1, erased); // the referral is the referred user's record: kept, naming the referrer by pseudonym only
        Assert.Equal(ErasedUserKey.PseudonymOf(Alpha, referrer), (await store.Get<IReferralStore>().GetAsync(Alpha, referred, default))!.ReferrerId);
        Assert.Empty((await referrals.ExportAsync(Alpha, referrer, default)).Records);
        Assert.Equal(0, await referrals.EraseAsync(Alpha, referrer, default)); // a repeat changes nothing
        Assert.False(again); // a second referral of the same user (and a second perk) stays impossible
        Assert.Single((await referrals.ExportAsync(Alpha, referred, default)).Records);
    }

    /// <summary>One record or more of every feature for the user; the referral is with a user who has nothing else.</summary>
    private static async Task SeedAsync(StoreSet store, TenantId tenant, UserId user, UserId referrer)
    {
        var extension = ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var e) ? e.Value : throw new InvalidOperationException();
        Assert.Equal(user, (await store.Users.RegisterInstallationAsync(tenant, extension, null, user, Now, default)).UserId);
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(tenant, user, PlanId.Parse("free"), Allowance.PerDay(10), Now, Now), default);
        Assert.NotNull(await store.Quotas.TryConsumeAsync(tenant, user, RequestKey.ForIdentify(tenant, user, ClientRequestId.TryParse("r1", out var id) ? id.Value : throw new InvalidOperationException()), Now, default));
        await store.Usage.AppendAsync([new UsageRecord(tenant, user, "text_rewrite", ConsumeKind.Allowed, Now)], default);
        await store.Get<Domain.Campaigns.ICustomerPreferenceStore>().PutAsync(new Domain.Campaigns.CustomerPreferences(tenant, user, ["560001"], new Domain.Campaigns.ChannelConsent(true, false, true), Now), default);
        var email = EmailAddress.TryParse($"p-{Guid.NewGuid():N}@example.com", out var parsed) ? parsed.Value : throw new InvalidOperationException();
        Assert.True(await store.Get<Domain.Accounts.IAccountStore>().TryCreateCredentialAsync(new Domain.Accounts.Credential(tenant, email, user, "hash", true, Now), default));
        await store.Get<Domain.Messaging.IMailSender>().SendAsync(new Domain.Messaging.MailMessage(tenant, email, "s", "b", "123456", user), default);
        await store.Get<IAuditLog>().AppendAsync(new AuditEntry(tenant, AuditActions.Login, user.Value, user.Value, Now, "203.0.113.5", "corr"), default);
        Assert.True(await store.Get<Domain.Admin.IRoleApplicationStore>().TryCreateAsync(new Domain.Admin.RoleApplication(tenant, Domain.Admin.RoleApplication.NewId(user, Role.Creator), user, Role.Creator, "I write plugins", Domain.Admin.RoleApplicationStatus.Pending, Now), default));
        var billing = store.Get<IBillingStore>();
        await billing.LinkCustomerAsync(tenant, user, $"cus_{Guid.NewGuid():N}", default);
        Assert.True(await billing.RecordPaymentAsync(new PaymentRecord(tenant, user, $"pi_{Guid.NewGuid():N}", null, new Money(500, "USD"), "succeeded", Now), default));
        Assert.True(await store.Get<IFeatureRequestStore>().TryCreateAsync(
            new FeatureRequest
            {
                Id = FeatureRequest.NewId(tenant, user, null),
                TenantId = tenant,
                UserId = user,
                RequestText = "Add a dark mode toggle",
                Status = FeatureRequestStatus.Pending,
                Reservation = ReservationState.Reserving,
                Queue = QueueNames.AiGenerationStandard,
                CreatedAt = Now,
                UpdatedAt = Now,
            },
            default));
        await store.Get<IDataSharingStore>().SetAsync(new DataSharingPreference(tenant, user, true, 50, Now), default);
        Assert.True(await store.Get<Domain.Users.IUserRoleStore>().GrantAsync(tenant, user, Domain.Users.Role.Creator, Now, default));
        await store.Get<IDataSharingEventStore>().AddAsync(tenant, [new Shared.Domain.DataSharing.Privacy.DataSharingEvent(user, Shared.Domain.DataSharing.Privacy.RegistrableDomain.Parse("example.com"), Shared.Domain.DataSharing.Privacy.DataSharingEventKind.Visit, Now)], default);
        await store.Get<IDataSharingReleaseStore>().RecordContributorsAsync(tenant, DateOnly.FromDateTime(Now.UtcDateTime), [user], default);
        Assert.True(await store.Get<IReferralStore>().TryCreateAsync(new Referral(tenant, referrer, user, ReferralStatus.Pending, Now), default));
        var marketplace = store.Get<Domain.Marketplace.IMarketplaceStore>();
        var item = new Domain.Marketplace.MarketplaceItem
        {
            Id = Guid.NewGuid().ToString("D"),
            TenantId = tenant,
            CreatorId = UserId.New(),
            Details = new Domain.Marketplace.ItemDetails("Helper", "Helps", Domain.Marketplace.ItemKind.Feature, ["writing"], new Money(0, "USD"), null),
            Status = Domain.Marketplace.ItemStatus.Published,
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        await marketplace.CreateAsync(item, default);
        Assert.True((await marketplace.InstallAsync(tenant, item.Id, user, Now, default)).Counted);
        await marketplace.RateAsync(new Domain.Marketplace.ItemRating(tenant, item.Id, user, 4, "Useful", Now), default);
        Assert.True(await store.Get<Domain.Notifications.INotificationInbox>().TryAddAsync(new Domain.Notifications.CampaignNotification(tenant, user, Domain.Notifications.NotificationChannel.InApp, $"campaign-1:{user.Value}:in_app", "campaign-1", "offer-1", "10% off"), Now, default));
        await SeedCampaignAsync(store, tenant, user);
        await store.Get<Domain.Notifications.IPushDeviceStore>().RegisterAsync(tenant, user, $"fcm-{Guid.NewGuid():N}", Now, default);
        Assert.True((await store.Get<Shared.Domain.Wallets.WalletService>().CreditAsync(new(tenant, user, Shared.Domain.Wallets.WalletKind.Money), Shared.Domain.Wallets.LedgerEntryKind.TopUp, 500, "top-up:cs_1", "cs_1", default)).Value.Succeeded);
        Assert.True((await store.Get<Shared.Domain.Invoices.IInvoiceIssuer>().IssueAsync(new(tenant, user, Shared.Domain.Invoices.InvoiceSourceKind.TopUp, "tu_" + user.Value, 500, "USD", [new("Wallet top-up", 1, 500, 500)]), default)).IsSuccess);
    }

    /// <summary>
    /// The user as a customer of a shopkeeper's campaign: a like of the offer, a recipient of the campaign's snapshot
    /// (batch 0, in-app) and a delivery recorded to them.
    /// </summary>
    private static async Task SeedCampaignAsync(StoreSet store, TenantId tenant, UserId user)
    {
        var shopkeeper = UserId.New();
        var offers = store.Get<Domain.Campaigns.IOfferStore>();
        var offer = new Domain.Campaigns.Offer(Domain.Campaigns.Offer.NewId(), tenant, shopkeeper, "Sale", null, 10, ["560001"], Now.AddHours(-1), Now.AddDays(1), 0, Now, Now);
        await offers.CreateAsync(offer, default);
        Assert.Equal(1, await offers.LikeAsync(tenant, offer.Id, user, default));
        var campaigns = store.Get<Domain.Campaigns.ICampaignStore>();
        var campaign = new Domain.Campaigns.Campaign(Domain.Campaigns.Campaign.NewId(), tenant, shopkeeper, offer.Id, ["560001"], [Domain.Notifications.NotificationChannel.InApp], "10% off", null, Domain.Campaigns.CampaignStatus.Queued, null, Now, Now);
        Assert.Equal(Domain.Campaigns.CampaignCreation.Created, await campaigns.TryCreateAsync(campaign, 5, default));
        var stored = (await campaigns.GetAsync(tenant, campaign.Id, default))!;
        Assert.NotNull(await campaigns.SaveSnapshotAsync(stored with { BatchCount = 1, Audience = 1, Messages = 1 }, [[new Domain.Campaigns.CampaignRecipient(user, [Domain.Notifications.NotificationChannel.InApp])]], default));
        await campaigns.RecordDeliveriesAsync(tenant, campaign.Id, 0, [new Domain.Campaigns.CampaignDelivery(user, Domain.Notifications.NotificationChannel.InApp, Domain.Campaigns.DeliveryStatus.Delivered)], default);
    }

    private static async Task<Dictionary<string, IReadOnlyList<PersonalDataRecord>>> ExportAllAsync(IEnumerable<IPersonalDataStore> sections, TenantId tenant, UserId user)
    {
        var all = new Dictionary<string, IReadOnlyList<PersonalDataRecord>>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var exported = await section.ExportAsync(tenant, user, default);
            Assert.Equal(section.Section, exported.Name);
            all[section.Section] = exported.Records;
        }

        return all;
    }

    private static List<string> Describe(Dictionary<string, IReadOnlyList<PersonalDataRecord>> export) =>
        [.. export.SelectMany(s => s.Value.Select(r => $"{s.Key}/{r.Kind}/{string.Join(",", r.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"))}")).Order(StringComparer.Ordinal)];
}
