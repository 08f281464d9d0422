using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Infrastructure.Tests.Admin;

/// <summary>Role grants, effective roles and the admin user search on both stores.</summary>
public abstract class RoleScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static Tenant AlphaTenant(params string[] adminEmails) =>
        new(Alpha, "Alpha", [new Plan(PlanId.Parse("free"), "Free", new Allowance(2, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}", adminEmails: adminEmails);

    private static EmailAddress Email(string text) => EmailAddress.TryParse(text, out var e) ? e.Value : throw new ArgumentException(text);

    private static ExtensionId NewExtension() => ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var x) ? x.Value : throw new InvalidOperationException();

    [StoreFact]
    public async Task Grants_and_revocations_are_idempotent_per_role_and_stay_in_their_tenant()
    {
        await using var store = await StoreAsync();
        var grants = store.Get<IUserRoleStore>();
        var user = UserId.New();

        Assert.Empty(await grants.GetGrantedAsync(Alpha, user, default));
        Assert.True(await grants.GrantAsync(Alpha, user, Role.Creator, Now, default));
        Assert.False(await grants.GrantAsync(Alpha, user, Role.Creator, Now, default));
        Assert.True(await grants.GrantAsync(Alpha, user, Role.Admin, Now, default));
        Assert.Equal(new HashSet<Role> { Role.Creator, Role.Admin }, await grants.GetGrantedAsync(Alpha, user, default));

        // The same user id in another tenant holds nothing.
        Assert.Empty(await grants.GetGrantedAsync(Beta, user, default));
        Assert.False(await grants.RevokeAsync(Beta, user, Role.Admin, default));

        Assert.True(await grants.RevokeAsync(Alpha, user, Role.Admin, default));
        Assert.False(await grants.RevokeAsync(Alpha, user, Role.Admin, default));
        Assert.False(await grants.RevokeAsync(Alpha, user, Role.Shopkeeper, default));
        Assert.Equal(new HashSet<Role> { Role.Creator }, await grants.GetGrantedAsync(Alpha, user, default));
        await Assert.ThrowsAsync<ArgumentException>(() => grants.GrantAsync(Alpha, user, Role.User, Now, default));
    }

    [StoreFact]
    public async Task Concurrent_grants_of_different_roles_all_land_and_each_repeat_reports_no_change()
    {
        await using var store = await StoreAsync();
        var grants = store.Get<IUserRoleStore>();
        var user = UserId.New();
        Role[] roles = [Role.Creator, Role.Shopkeeper, Role.Admin];

        // Four callers per role, all at once: exactly one of each four changes anything.
        var results = await Task.WhenAll(roles.SelectMany(r => Enumerable.Range(0, 4).Select(_ => (r, grants.GrantAsync(Alpha, user, r, Now, default)))).Select(async p => (p.r, await p.Item2)));

        Assert.All(roles, r => Assert.Equal(1, results.Count(x => x.r == r && x.Item2)));
        Assert.Equal(roles.ToHashSet(), await grants.GetGrantedAsync(Alpha, user, default));
    }

    [StoreFact]
    public async Task Effective_roles_add_admin_for_a_verified_listed_email_only()
    {
        await using var store = await StoreAsync();
        var grants = store.Get<IUserRoleStore>();
        var tenants = new OneTenant(AlphaTenant("boss@alpha.example"));
        var roles = new UserRoles(grants, store.Users, tenants);

        var verified = (await store.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), Email("Boss@alpha.example"), UserId.New(), Now, default)).UserId;
        var contactOnly = (await store.Users.RegisterInstallationAsync(Alpha, NewExtension(), Email("boss@alpha.example"), UserId.New(), Now, default)).UserId;
        var other = (await store.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), Email("someone@alpha.example"), UserId.New(), Now, default)).UserId;

        Assert.Equal(new HashSet<Role> { Role.User, Role.Admin }, await roles.EffectiveAsync(Alpha, verified, default));
        Assert.Equal(new HashSet<Role> { Role.User }, await roles.EffectiveAsync(Alpha, contactOnly, default));
        Assert.Equal(new HashSet<Role> { Role.User }, await roles.EffectiveAsync(Alpha, other, default));

        await grants.GrantAsync(Alpha, other, Role.Shopkeeper, Now, default);
        Assert.Equal(new HashSet<Role> { Role.User, Role.Shopkeeper }, await roles.EffectiveAsync(Alpha, other, default));

        // A tenant that does not list the email: the same verified user is only a user there.
        var unlisted = new UserRoles(grants, store.Users, new OneTenant(AlphaTenant()));
        Assert.Equal(new HashSet<Role> { Role.User }, await unlisted.EffectiveAsync(Alpha, verified, default));
    }

    [StoreFact]
    public async Task The_admin_search_matches_email_prefixes_pages_by_user_id_and_never_leaves_the_tenant()
    {
        await using var store = await StoreAsync();
        var search = store.Get<IAdminUserSearch>();
        var ann = (await store.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), Email("ann@shop.example"), UserId.New(), Now, default)).UserId;
        await store.Users.RegisterVerifiedInstallationAsync(Alpha, NewExtension(), Email("ann@shop.example"), UserId.New(), Now, default); // a second device of ann
        var andy = (await store.Users.RegisterInstallationAsync(Alpha, NewExtension(), Email("andy@other.example"), UserId.New(), Now, default)).UserId;
        var bob = (await store.Users.RegisterInstallationAsync(Alpha, NewExtension(), Email("bob@shop.example"), UserId.New(), Now, default)).UserId;
        var anon = (await store.Users.RegisterInstallationAsync(Alpha, NewExtension(), null, UserId.New(), Now, default)).UserId;
        var betaAnn = (await store.Users.RegisterVerifiedInstallationAsync(Beta, NewExtension(), Email("ann@shop.example"), UserId.New(), Now, default)).UserId;

        var an = await search.SearchAsync(Alpha, "an", null, 10, default);
        Assert.Equal(new[] { ann, andy }.OrderBy(u => u.Value, StringComparer.Ordinal), an.Select(u => u.UserId));
        Assert.Equal("ann@shop.example", an.Single(u => u.UserId == ann).VerifiedEmail?.Value);
        Assert.Equal("andy@other.example", an.Single(u => u.UserId == andy).ContactEmail?.Value);
        Assert.Empty(await search.SearchAsync(Alpha, "%", null, 10, default)); // a prefix is data, not a pattern
        Assert.DoesNotContain(betaAnn, (await search.SearchAsync(Alpha, "", null, 100, default)).Select(u => u.UserId));

        // Every user, two a page, in user id order: the pages partition the tenant's users.
        var all = new List<UserId>();
        UserId? after = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await search.SearchAsync(Alpha, "", after, 2, default);
            all.AddRange(rows.Select(r => r.UserId));
            if (rows.Count < 2)
            {
                break;
            }

            after = rows[^1].UserId;
        }

        Assert.Equal(new[] { ann, andy, bob, anon }.Select(u => u.Value).Order(StringComparer.Ordinal), all.Select(u => u.Value));
        Assert.Equal(2, await search.CountInstallationsAsync(Alpha, ann, default));
        Assert.Equal(1, await search.CountInstallationsAsync(Alpha, bob, default));
        Assert.Equal(0, await search.CountInstallationsAsync(Beta, bob, default));
    }

    private sealed class OneTenant(Tenant tenant) : ITenantDirectory
    {
        public Task<Tenant?> FindAsync(TenantId id, CancellationToken cancellationToken) => Task.FromResult(id == tenant.Id ? tenant : null);
    }
}
