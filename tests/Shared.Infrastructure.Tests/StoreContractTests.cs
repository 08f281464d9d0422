using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// What every store must do, run against each store: the embedded SQLite store and Cosmos DB. Each test uses fresh
/// ids so tests share one store instance per class.
/// </summary>
public abstract class StoreContractTests
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoresAsync();

    private static QuotaAccount FreeAccount(TenantId tenant, UserId user, DateTimeOffset now, int limit = 10) =>
        QuotaAccount.Open(tenant, user, PlanId.Parse("free"), Allowance.PerDay(limit), now, now);

    private static ExtensionId NewExtension() => ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var id) ? id.Value : throw new InvalidOperationException();

    private static RequestKey Key(UserId user, string raw) => RequestKey.ForIdentify(Alpha, user, ClientRequestId.TryParse(raw, out var id) ? id.Value : throw new ArgumentException(raw));

    private static EmailAddress Email(string raw) => EmailAddress.TryParse(raw, out var e) ? e.Value : throw new ArgumentException(raw);

    [StoreFact]
    public async Task Consuming_until_exhausted_allows_exactly_the_limit()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);

        var outcomes = new List<ConsumeOutcome>();
        for (var i = 0; i < 12; i++)
        {
            outcomes.Add((await stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default))!);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (int?)(9 - i)), outcomes.Take(10).Select(o => o.Status.Remaining));
        Assert.All(outcomes.Take(10), o => Assert.Equal(ConsumeKind.Allowed, o.Kind));
        Assert.All(outcomes.Skip(10), o => Assert.Equal(ConsumeKind.Denied, o.Kind));
        Assert.Equal(10, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Consuming_without_an_account_returns_null()
    {
        var stores = await StoresAsync();

        Assert.Null(await stores.Quotas.TryConsumeAsync(Alpha, UserId.New(), null, Monday, default));
        Assert.Null(await stores.Quotas.GetAsync(Alpha, UserId.New(), default));
    }

    [StoreFact]
    public async Task Creating_an_existing_account_keeps_the_existing_one()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);
        await stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default);

        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday, limit: 99), default);

        var account = (await stores.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(1, account.Used);
        Assert.Equal(10, account.Allowance.Limit);
    }

    [StoreFact]
    public async Task The_period_rolls_over_exactly_at_the_boundary()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);
        for (var i = 0; i < 10; i++)
        {
            await stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default);
        }

        var midnight = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var before = await stores.Quotas.TryConsumeAsync(Alpha, user, null, midnight.AddMilliseconds(-1), default);
        var at = await stores.Quotas.TryConsumeAsync(Alpha, user, null, midnight, default);

        Assert.Equal(ConsumeKind.Denied, before!.Kind);
        Assert.Equal(ConsumeKind.Allowed, at!.Kind);
        Assert.Equal(9, at.Status.Remaining);
        var stored = (await stores.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(midnight, stored.Period.Start);
        Assert.Equal(1, stored.Used);
    }

    [StoreFact]
    public async Task A_repeated_request_key_consumes_once()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);

        var first = await stores.Quotas.TryConsumeAsync(Alpha, user, Key(user, "req-1"), Monday, default);
        var again = await stores.Quotas.TryConsumeAsync(Alpha, user, Key(user, "req-1"), Monday.AddSeconds(3), default);
        var other = await stores.Quotas.TryConsumeAsync(Alpha, user, Key(user, "req-2"), Monday.AddSeconds(4), default);
        var againLater = await stores.Quotas.TryConsumeAsync(Alpha, user, Key(user, "req-1"), Monday.AddSeconds(5), default);

        Assert.Equal(ConsumeKind.Allowed, first!.Kind);
        Assert.Equal(ConsumeKind.Replayed, again!.Kind);
        Assert.Equal(9, again.Status.Remaining);
        Assert.Equal(ConsumeKind.Allowed, other!.Kind);
        Assert.Equal(ConsumeKind.Replayed, againLater!.Kind);
        Assert.Equal(9, againLater.Status.Remaining);
        Assert.Equal(2, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Parallel_consumers_never_get_more_than_the_limit()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default))));

        Assert.Equal(10, outcomes.Count(o => o!.Kind == ConsumeKind.Allowed));
        Assert.Equal(190, outcomes.Count(o => o!.Kind == ConsumeKind.Denied));
        Assert.Equal(10, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Parallel_consumers_across_a_rollover_never_get_more_than_the_limit()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);
        for (var i = 0; i < 10; i++)
        {
            await stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default);
        }

        var tuesday = Monday.AddDays(1);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => stores.Quotas.TryConsumeAsync(Alpha, user, null, tuesday, default))));

        Assert.Equal(10, outcomes.Count(o => o!.Kind == ConsumeKind.Allowed));
        var stored = (await stores.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(10, stored.Used);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), stored.Period.Start);
    }

    [StoreFact]
    public async Task Parallel_repeats_of_one_request_key_consume_once()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => stores.Quotas.TryConsumeAsync(Alpha, user, Key(user, "same"), Monday, default))));

        Assert.Equal(1, outcomes.Count(o => o!.Kind == ConsumeKind.Allowed));
        Assert.Equal(39, outcomes.Count(o => o!.Kind == ConsumeKind.Replayed));
        Assert.Equal(1, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Unlimited_accounts_count_but_never_deny()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("unlimited"), Allowance.Unlimited, Monday, Monday), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => stores.Quotas.TryConsumeAsync(Alpha, user, null, Monday, default))));

        Assert.All(outcomes, o => Assert.Equal(ConsumeKind.Allowed, o!.Kind));
        Assert.All(outcomes, o => Assert.Null(o!.Status.Remaining));
        Assert.Equal(50, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Accounts_of_one_tenant_are_invisible_to_another()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        await stores.Quotas.CreateIfMissingAsync(FreeAccount(Alpha, user, Monday), default);

        Assert.Null(await stores.Quotas.GetAsync(Beta, user, default));
        Assert.Null(await stores.Quotas.TryConsumeAsync(Beta, user, null, Monday, default));
        Assert.Equal(0, (await stores.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task A_new_installation_creates_a_user_and_is_found_again()
    {
        var stores = await StoresAsync();
        var extension = NewExtension();
        var candidate = UserId.New();

        var created = await stores.Users.RegisterInstallationAsync(Alpha, extension, null, candidate, Monday, default);
        var found = await stores.Users.FindInstallationAsync(Alpha, extension, default);
        var user = await stores.Users.GetAsync(Alpha, candidate, default);

        Assert.True(created.CreatedNow);
        Assert.Equal(candidate, created.UserId);
        Assert.Equal(candidate, found!.UserId);
        Assert.False(found.CreatedNow);
        Assert.NotNull(user);
        Assert.Null(user.Email);
        Assert.Equal(Role.User, user.Role);
    }

    [StoreFact]
    public async Task A_contact_email_is_kept_unverified_and_never_joins_users()
    {
        var stores = await StoresAsync();
        var email = Email($"person-{Guid.NewGuid():N}@example.com");

        var first = await stores.Users.RegisterInstallationAsync(Alpha, NewExtension(), email, UserId.New(), Monday, default);
        var second = await stores.Users.RegisterInstallationAsync(Alpha, NewExtension(), Email(email.Value.ToUpperInvariant()), UserId.New(), Monday, default);
        var verifiedLater = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), email, UserId.New(), Monday, default);

        Assert.Equal(3, new[] { first.UserId, second.UserId, verifiedLater.UserId }.Distinct().Count());
        var firstUser = await stores.Users.GetAsync(Alpha, first.UserId, default);
        Assert.Equal(((EmailAddress?)null, (EmailAddress?)email), (firstUser!.VerifiedEmail, firstUser.ContactEmail));
        Assert.Equal(email, (await stores.Users.GetAsync(Alpha, verifiedLater.UserId, default))!.VerifiedEmail);
    }

    [StoreFact]
    public async Task Installations_proving_one_email_belong_to_one_user()
    {
        var stores = await StoresAsync();
        var email = Email($"person-{Guid.NewGuid():N}@example.com");

        var first = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), email, UserId.New(), Monday, default);
        var second = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), Email(email.Value.ToUpperInvariant()), UserId.New(), Monday, default);

        Assert.Equal(first.UserId, second.UserId);
        Assert.True(second.CreatedNow);
        var user = await stores.Users.GetAsync(Alpha, first.UserId, default);
        Assert.Equal(((EmailAddress?)email, (EmailAddress?)null), (user!.VerifiedEmail, user.ContactEmail));
    }

    [StoreFact]
    public async Task Concurrent_first_calls_of_one_installation_agree_on_one_user()
    {
        var stores = await StoresAsync();
        var extension = NewExtension();

        var links = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => stores.Users.RegisterInstallationAsync(Alpha, extension, null, UserId.New(), Monday, default))));

        Assert.Single(links.Select(l => l.UserId).Distinct());
        Assert.Single(links, l => l.CreatedNow);
        Assert.Equal(links[0].UserId, (await stores.Users.FindInstallationAsync(Alpha, extension, default))!.UserId);
    }

    [StoreFact]
    public async Task Concurrent_installations_proving_one_email_agree_on_one_owner()
    {
        var stores = await StoresAsync();
        var email = Email($"racer-{Guid.NewGuid():N}@example.com");

        var links = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), email, UserId.New(), Monday, default))));

        var owner = Assert.Single(links.Select(l => l.UserId).Distinct());
        Assert.Equal(email, (await stores.Users.GetAsync(Alpha, owner, default))!.VerifiedEmail);
    }

    [StoreFact]
    public async Task A_proven_email_is_claimed_once_and_never_taken_over()
    {
        var stores = await StoresAsync();
        var email = Email($"claim-{Guid.NewGuid():N}@example.com");
        var other = Email($"other-{Guid.NewGuid():N}@example.com");
        var first = await stores.Users.RegisterInstallationAsync(Alpha, NewExtension(), null, UserId.New(), Monday, default);
        var second = await stores.Users.RegisterInstallationAsync(Alpha, NewExtension(), null, UserId.New(), Monday, default);

        var claimed = await stores.Users.ClaimVerifiedEmailAsync(Alpha, first.UserId, email, Monday, default);
        var again = await stores.Users.ClaimVerifiedEmailAsync(Alpha, first.UserId, email, Monday, default);
        var takeover = await stores.Users.ClaimVerifiedEmailAsync(Alpha, second.UserId, email, Monday, default);
        var secondEmail = await stores.Users.ClaimVerifiedEmailAsync(Alpha, first.UserId, other, Monday, default);
        var joined = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), email, UserId.New(), Monday, default);
        var otherIsFree = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), other, UserId.New(), Monday, default);

        Assert.Equal((EmailClaim.Claimed, EmailClaim.AlreadyOwned, EmailClaim.OwnedByAnotherUser, EmailClaim.UserHasAnotherEmail), (claimed, again, takeover, secondEmail));
        Assert.Equal(first.UserId, joined.UserId);
        Assert.NotEqual(first.UserId, otherIsFree.UserId);
        Assert.Null((await stores.Users.GetAsync(Alpha, second.UserId, default))!.VerifiedEmail);
        Assert.Equal(email, (await stores.Users.GetAsync(Alpha, first.UserId, default))!.VerifiedEmail);
    }

    [StoreFact]
    public async Task One_extension_id_in_two_tenants_is_two_users()
    {
        var stores = await StoresAsync();
        var extension = NewExtension();
        var email = Email($"both-{Guid.NewGuid():N}@example.com");

        var inAlpha = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, extension, email, UserId.New(), Monday, default);
        var inBeta = await stores.Users.RegisterVerifiedInstallationAsync(Beta, extension, email, UserId.New(), Monday, default);

        Assert.NotEqual(inAlpha.UserId, inBeta.UserId);
        Assert.Null(await stores.Users.GetAsync(Beta, inAlpha.UserId, default));
    }

    [StoreFact]
    public async Task Ensuring_a_user_is_idempotent()
    {
        var stores = await StoresAsync();
        var user = UserId.New();

        await stores.Users.EnsureUserAsync(Alpha, user, Monday, default);
        await stores.Users.EnsureUserAsync(Alpha, user, Monday.AddDays(1), default);

        Assert.Equal(Monday, (await stores.Users.GetAsync(Alpha, user, default))!.CreatedAt);
    }

    [StoreFact]
    public async Task Tenants_round_trip_and_unknown_ones_are_absent()
    {
        var stores = await StoresAsync();
        var id = TenantId.Parse($"t-{Guid.NewGuid():N}"[..20]);
        var free = new Plan(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), ["Basic"], isDefault: true);
        var pro = new Plan(PlanId.Parse("pro"), "Pro", Allowance.PerMonth(1000), new Money(999, "USD"), new Money(9999, "USD"), ["More"]);

        await stores.Tenants.UpsertAsync(new Tenant(id, "First name", [free], "https://x.example/u?token={link_token}"), default);
        await stores.Tenants.UpsertAsync(new Tenant(id, "Second name", [free, pro], "https://x.example/u?token={link_token}"), default);
        var tenant = await stores.Tenants.GetAsync(id, default);

        Assert.NotNull(tenant);
        Assert.Equal("Second name", tenant.Name);
        Assert.Equal([free.Id, pro.Id], tenant.Plans.Select(p => p.Id));
        Assert.Equal(new Money(9999, "USD"), tenant.FindPlan(pro.Id)!.PriceYearly);
        Assert.Equal(Allowance.PerMonth(1000), tenant.FindPlan(pro.Id)!.Allowance);
        Assert.Null(await stores.Tenants.GetAsync(TenantId.Parse("no-such-tenant"), default));
    }

    [StoreFact]
    public async Task Usage_records_are_stored_per_user_newest_first()
    {
        var stores = await StoresAsync();
        var user = UserId.New();
        var records = Enumerable.Range(0, 5).Select(i => new UsageRecord(Alpha, user, $"action_{i}", i == 4 ? ConsumeKind.Denied : ConsumeKind.Allowed, Monday.AddMinutes(i))).ToList();

        await stores.Usage.AppendAsync(records, default);
        await stores.Usage.AppendAsync([new UsageRecord(Beta, user, "other_tenant", ConsumeKind.Allowed, Monday)], default);
        var listed = await stores.Usage.ListForUserAsync(Alpha, user, 10, default);

        Assert.Equal(records.AsEnumerable().Reverse().Select(r => (r.ActionType, r.Outcome, r.At)), listed.Select(r => (r.ActionType, r.Outcome, r.At)));
    }
}
