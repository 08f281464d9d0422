using Shared.Domain.Admin;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Admin;

/// <summary>Role applications (apply, list, approve, reject), their audit entries and personal data, on both stores.</summary>
public abstract class RoleApplicationScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static Tenant TenantOf(TenantId id) =>
        new(id, id.Value, [new Plan(PlanId.Parse("free"), "Free", new Allowance(2, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], $"https://{id.Value}.example/u?{{link_token}}");

    private sealed class Tenants : ITenantDirectory
    {
        public Task<Tenant?> FindAsync(TenantId id, CancellationToken cancellationToken) => Task.FromResult<Tenant?>(id == Alpha || id == Beta ? TenantOf(id) : null);
    }

    private static (RoleApplications Applications, IUserRoleStore Grants, IAuditLog Audit) Build(StoreSet store, TimeProvider time, IUserRoleStore? grantsSeam = null)
    {
        var grants = grantsSeam ?? store.Get<IUserRoleStore>();
        var audit = store.Get<IAuditLog>();
        var tenants = new Tenants();
        var roles = new UserRoles(grants, store.Users, tenants);
        var administration = new RoleAdministration(store.Users, grants, roles, tenants, audit, time);
        return (new RoleApplications(store.Get<IRoleApplicationStore>(), administration, roles, store.Users, tenants, audit, new RoleApplicationOptions(), time), grants, audit);
    }

    /// <summary>A new user of the tenant, with a verified email unless <paramref name="verified"/> is false.</summary>
    private static async Task<UserId> NewUserAsync(StoreSet store, TenantId tenant, bool verified = true)
    {
        var user = (await store.Users.RegisterInstallationAsync(tenant, ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var x) ? x.Value : throw new InvalidOperationException(), null, UserId.New(), Now, default)).UserId;
        if (verified)
        {
            Assert.True(EmailAddress.TryParse($"u-{Guid.NewGuid():N}@example.com", out var email));
            Assert.Equal(EmailClaim.Claimed, await store.Users.ClaimVerifiedEmailAsync(tenant, user, email.Value, Now, default));
        }

        return user;
    }

    /// <summary>The real grants, except that granting fails as a store outage would.</summary>
    private sealed class FailingGrants(IUserRoleStore inner) : IUserRoleStore
    {
        public Task<IReadOnlySet<Role>> GetGrantedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.GetGrantedAsync(tenantId, userId, cancellationToken);

        public Task<bool> GrantAsync(TenantId tenantId, UserId userId, Role role, DateTimeOffset now, CancellationToken cancellationToken) => throw new IOException("The role store is unavailable.");

        public Task<bool> RevokeAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken) => inner.RevokeAsync(tenantId, userId, role, cancellationToken);
    }

    private static AdminCaller Caller(TenantId tenant, UserId user) => new(tenant, user, "203.0.113.7", "corr-" + user.Value[..8]);

    [StoreFact]
    public async Task Apply_then_approve_grants_the_role_once_and_every_step_is_audited()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (applications, grants, audit) = Build(store, time);
        var applicant = await NewUserAsync(store, Alpha);
        var admin = await NewUserAsync(store, Alpha);

        var applied = await applications.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", "  I run the corner shop.  ", default);
        Assert.True(applied.IsSuccess, applied.Error?.Code);
        Assert.Equal((RoleApplicationStatus.Pending, Role.Shopkeeper, "I run the corner shop."), (applied.Value.Status, applied.Value.Role, applied.Value.Note));

        // One pending per role: the same role again is refused, another role is a second application.
        Assert.Equal("application_pending", (await applications.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", null, default)).Error?.Code);
        var creator = (await applications.ApplyAsync(Caller(Alpha, applicant), "creator", null, default)).Value;

        var pending = (await applications.ListAsync(Alpha, null, null, default)).Value;
        Assert.Equal(new[] { applied.Value.Id, creator.Id }.Order(StringComparer.Ordinal), pending.Items.Select(a => a.Id));
        Assert.Null(pending.Continuation);

        time.Advance(TimeSpan.FromMinutes(5));
        var approved = await applications.ApproveAsync(Caller(Alpha, admin), applied.Value.Id, default);
        Assert.True(approved.IsSuccess, approved.Error?.Code);
        Assert.Equal((RoleApplicationStatus.Approved, Now.AddMinutes(5)), (approved.Value.Status, approved.Value.DecidedAt));
        Assert.Equal(new HashSet<Role> { Role.Shopkeeper }, await grants.GetGrantedAsync(Alpha, applicant, default));

        // Decided once: approving or rejecting again is a conflict and grants nothing more.
        Assert.Equal("application_decided", (await applications.ApproveAsync(Caller(Alpha, admin), applied.Value.Id, default)).Error?.Code);
        Assert.Equal("application_decided", (await applications.RejectAsync(Caller(Alpha, admin), applied.Value.Id, "late", default)).Error?.Code);

        // Holding the role now, the applicant cannot apply for it again.
        Assert.Equal("role_already_held", (await applications.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", null, default)).Error?.Code);

        var rejected = await applications.RejectAsync(Caller(Alpha, admin), creator.Id, "  Not yet.  ", default);
        Assert.Equal((RoleApplicationStatus.Rejected, "Not yet."), (rejected.Value.Status, rejected.Value.Reason));
        Assert.DoesNotContain(Role.Creator, await grants.GetGrantedAsync(Alpha, applicant, default));
        Assert.Empty((await applications.ListAsync(Alpha, "pending", null, default)).Value.Items);
        Assert.Equal([applied.Value.Id], (await applications.ListAsync(Alpha, "approved", null, default)).Value.Items.Select(a => a.Id));
        Assert.Equal([creator.Id], (await applications.ListAsync(Alpha, "rejected", null, default)).Value.Items.Select(a => a.Id));

        // A rejected applicant may apply again for that role once the cooldown (7 days by default) has passed (rejected at 09:05).
        var early = await applications.ApplyAsync(Caller(Alpha, applicant), "creator", "Second try", default);
        Assert.Equal((ErrorKind.Conflict, "application_cooldown"), (early.Error?.Kind, early.Error?.Code));
        Assert.Contains("2026-11-30T09:05:00Z", early.Error!.Detail, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal("application_cooldown", (await applications.ApplyAsync(Caller(Alpha, applicant), "creator", "Second try", default)).Error?.Code);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await applications.ApplyAsync(Caller(Alpha, applicant), "creator", "Second try", default)).IsSuccess);

        var entries = (await audit.ListAsync(Alpha, null, 100, default)).Items;
        Assert.Equal(3, entries.Count(e => e.Action == RoleApplications.Applied && e.ActorId == applicant.Value));
        Assert.Single(entries, e => e.Action == RoleApplications.Approved && e.ActorId == admin.Value && e.TargetId == applicant.Value);
        Assert.Single(entries, e => e.Action == RoleApplications.Rejected && e.ActorId == admin.Value && e.TargetId == applicant.Value);
        Assert.Single(entries, e => e.Action == AuditActions.RoleGranted && e.TargetId == applicant.Value);
    }

    [StoreFact]
    public async Task Another_tenants_admin_neither_lists_nor_decides_an_application_and_bad_ids_are_not_found()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (applications, grants, _) = Build(store, time);
        var applicant = await NewUserAsync(store, Alpha);
        var betaAdmin = await NewUserAsync(store, Beta);
        var application = (await applications.ApplyAsync(Caller(Alpha, applicant), "creator", null, default)).Value;

        Assert.Empty((await applications.ListAsync(Beta, "pending", null, default)).Value.Items);
        Assert.Equal("application_not_found", (await applications.ApproveAsync(Caller(Beta, betaAdmin), application.Id, default)).Error?.Code);
        Assert.Equal("application_not_found", (await applications.RejectAsync(Caller(Beta, betaAdmin), application.Id, null, default)).Error?.Code);
        foreach (var id in new[] { "", "x", application.Id + "0", application.Id.ToUpperInvariant(), $"{applicant.Value}.creator.{new string('0', 32)}", "../" + application.Id })
        {
            Assert.Equal("application_not_found", (await applications.ApproveAsync(Caller(Alpha, betaAdmin), id, default)).Error?.Code);
        }

        Assert.Empty(await grants.GetGrantedAsync(Alpha, applicant, default));
        Assert.Equal(RoleApplicationStatus.Pending, (await store.Get<IRoleApplicationStore>().GetAsync(Alpha, application.Id, default))!.Status);

        foreach (var (role, note) in new[] { ("admin", (string?)null), ("user", null), ("Creator", null), ("", null), ("creator", new string('n', 501)), ("creator", "bell\u0007") })
        {
            Assert.Equal(ErrorKind.Validation, (await applications.ApplyAsync(Caller(Alpha, applicant), role, note, default)).Error?.Kind);
        }

        Assert.Equal("validation_failed", (await applications.ListAsync(Alpha, "open", null, default)).Error?.Code);
        Assert.Equal("invalid_continuation", (await applications.ListAsync(Alpha, null, "garbage", default)).Error?.Code);
        Assert.Single((await applications.ListAsync(Alpha, null, null, default)).Value.Items);
    }

    [StoreFact]
    public async Task Only_a_user_with_a_verified_email_may_apply()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (applications, _, audit) = Build(store, time);
        var unverified = await NewUserAsync(store, Alpha, verified: false);

        var refused = await applications.ApplyAsync(Caller(Alpha, unverified), "creator", "Please", default);

        Assert.Equal((ErrorKind.Forbidden, "email_not_verified"), (refused.Error?.Kind, refused.Error?.Code));
        Assert.Empty((await applications.ListAsync(Alpha, "pending", null, default)).Value.Items);
        Assert.DoesNotContain((await audit.ListAsync(Alpha, null, 100, default)).Items, e => e.ActorId == unverified.Value);
    }

    [StoreFact]
    public async Task A_failing_grant_leaves_the_application_pending_and_audited_and_a_retry_approves_it()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (failing, grants, audit) = Build(store, time, new FailingGrants(store.Get<IUserRoleStore>()));
        var applicant = await NewUserAsync(store, Alpha);
        var admin = await NewUserAsync(store, Alpha);
        var id = (await failing.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", null, default)).Value.Id;

        await Assert.ThrowsAsync<IOException>(() => failing.ApproveAsync(Caller(Alpha, admin), id, default));

        // Not approved without the role: still pending, and what happened is in the audit log.
        Assert.Equal(RoleApplicationStatus.Pending, (await store.Get<IRoleApplicationStore>().GetAsync(Alpha, id, default))!.Status);
        Assert.DoesNotContain(Role.Shopkeeper, await grants.GetGrantedAsync(Alpha, applicant, default));
        var entries = (await audit.ListAsync(Alpha, null, 100, default)).Items;
        var failed = Assert.Single(entries, e => e.Action == RoleApplications.GrantFailed && e.ActorId == admin.Value && e.TargetId == applicant.Value);
        Assert.Equal("shopkeeper", failed.Details!["role"]);
        Assert.DoesNotContain(entries, e => e.Action == RoleApplications.Approved);

        // Once the store is back, approving again grants and marks it.
        var (working, _, _) = Build(store, time);
        var approved = await working.ApproveAsync(Caller(Alpha, admin), id, default);
        Assert.Equal(RoleApplicationStatus.Approved, approved.Value.Status);
        Assert.Contains(Role.Shopkeeper, await grants.GetGrantedAsync(Alpha, applicant, default));
    }

    [StoreFact]
    public async Task A_racing_approval_and_rejection_decide_once_and_parallel_applications_leave_one_pending()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (applications, grants, _) = Build(store, time);
        var applicant = await NewUserAsync(store, Alpha);
        var admin = await NewUserAsync(store, Alpha);

        var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => applications.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", null, default)));
        Assert.Single(applied, a => a.IsSuccess);
        Assert.All(applied.Where(a => !a.IsSuccess), a => Assert.Equal("application_pending", a.Error!.Code));
        var id = applied.Single(a => a.IsSuccess).Value.Id;

        var decisions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? applications.ApproveAsync(Caller(Alpha, admin), id, default) : applications.RejectAsync(Caller(Alpha, admin), id, null, default)));
        var winner = Assert.Single(decisions, d => d.IsSuccess);
        Assert.All(decisions.Where(d => !d.IsSuccess), d => Assert.Equal("application_decided", d.Error!.Code));
        var stored = await store.Get<IRoleApplicationStore>().GetAsync(Alpha, id, default);
        Assert.Equal(winner.Value.Status, stored!.Status);
        Assert.Equal(winner.Value.Status == RoleApplicationStatus.Approved, (await grants.GetGrantedAsync(Alpha, applicant, default)).Contains(Role.Shopkeeper));
    }

    [StoreFact]
    public async Task Applications_are_exported_with_the_applicant_and_erased_with_them_only()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var (applications, _, _) = Build(store, time);
        var applicant = await NewUserAsync(store, Alpha);
        var other = await NewUserAsync(store, Alpha);
        var admin = await NewUserAsync(store, Alpha);
        var note = $"My shop is at {Guid.NewGuid():N}";
        var decided = (await applications.ApplyAsync(Caller(Alpha, applicant), "creator", null, default)).Value;
        await applications.RejectAsync(Caller(Alpha, admin), decided.Id, "No portfolio", default);
        await applications.ApplyAsync(Caller(Alpha, applicant), "shopkeeper", note, default);
        var kept = (await applications.ApplyAsync(Caller(Alpha, other), "shopkeeper", "other's note", default)).Value;

        var section = store.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "role_applications");
        var exported = await section.ExportAsync(Alpha, applicant, default);
        Assert.Contains(exported.Records, r => r.Fields.Values.Contains(note));
        Assert.Contains(exported.Records, r => r.Fields.Values.Contains("No portfolio"));
        Assert.DoesNotContain(exported.Records, r => r.Fields.Values.Contains("other's note"));

        Assert.True(await section.EraseAsync(Alpha, applicant, default) > 0);
        Assert.Empty((await section.ExportAsync(Alpha, applicant, default)).Records);
        Assert.Equal(0, await section.EraseAsync(Alpha, applicant, default));
        Assert.Equal([kept.Id], (await applications.ListAsync(Alpha, "pending", null, default)).Value.Items.Select(a => a.Id));
        Assert.Empty((await applications.ListAsync(Alpha, "rejected", null, default)).Value.Items);
    }
}
