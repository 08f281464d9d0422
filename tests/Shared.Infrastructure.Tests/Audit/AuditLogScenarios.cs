using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Privacy;
using Xunit;

namespace Shared.Infrastructure.Tests.Audit;

/// <summary>The audit log on both stores: append-only pages newest first, tenant isolation, de-identification on erasure.</summary>
public abstract class AuditLogScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Start = new(2026, 10, 30, 23, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync();

    [StoreFact]
    public async Task Pages_return_every_entry_of_the_tenant_once_newest_first_across_months()
    {
        await using var store = await StoreAsync();
        var log = store.Get<IAuditLog>();
        var appended = new List<AuditEntry>();
        for (var i = 0; i < 23; i++)
        {
            // Hours apart across the October/November boundary: two Cosmos partitions, one list.
            var entry = new AuditEntry(Alpha, AuditActions.LoginFailed, null, UserId.New().Value, Start.AddHours(i), "203.0.113." + i, "corr-" + i, new Dictionary<string, string> { ["reason"] = "bad_password" });
            await log.AppendAsync(entry, default);
            appended.Add(entry);
        }

        await log.AppendAsync(new AuditEntry(Beta, AuditActions.Signup, UserId.New().Value, null, Start, null, null), default);

        var seen = new List<AuditEntry>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await log.ListAsync(Alpha, continuation, 10, default);
            seen.AddRange(page.Items);
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(appended.Select(e => e.CorrelationId).Reverse(), seen.Select(e => e.CorrelationId));
        Assert.All(seen, e => Assert.Equal(Alpha, e.TenantId));
        var first = seen[^1];
        Assert.Equal(appended[0].TargetId, first.TargetId);
        Assert.Equal(Start, first.At);
        Assert.Equal("203.0.113.0", first.Address);
        Assert.Equal("bad_password", first.Details!["reason"]);
    }

    [StoreFact]
    public async Task A_continuation_the_log_did_not_issue_is_refused()
    {
        await using var store = await StoreAsync();
        var log = store.Get<IAuditLog>();
        await Assert.ThrowsAsync<InvalidContinuationException>(() => log.ListAsync(Alpha, "not-a-token", 10, default));
        await Assert.ThrowsAsync<InvalidContinuationException>(() => log.ListAsync(Alpha, ContinuationText.Encode("a1:x"), 10, default));
    }

    [StoreFact]
    public async Task Erasing_a_user_keeps_their_entries_under_one_pseudonym_with_the_address_generalised_and_repeats_change_nothing()
    {
        await using var store = await StoreAsync();
        var log = store.Get<IAuditLog>();
        var erased = UserId.New();
        var admin = UserId.New();
        var other = UserId.New();
        await log.AppendAsync(new AuditEntry(Alpha, AuditActions.Login, erased.Value, erased.Value, Start, "198.51.100.77", "c1"), default);
        await log.AppendAsync(new AuditEntry(Alpha, AuditActions.RoleGranted, admin.Value, erased.Value, Start.AddMinutes(1), "2001:db8:1:2::5", "c2"), default);
        await log.AppendAsync(new AuditEntry(Alpha, AuditActions.Login, other.Value, other.Value, Start.AddMinutes(2), "192.0.2.9", "c3"), default);
        await log.AppendAsync(new AuditEntry(Beta, AuditActions.Login, erased.Value, erased.Value, Start, "198.51.100.77", "c4"), default); // same id, other tenant

        var personal = store.Get<IEnumerable<IPersonalDataStore>>().Single(p => p.Section == "audit");
        var export = await personal.ExportAsync(Alpha, erased, default);
        Assert.Equal(["c1", "c2"], export.Records.Select(r => r.Fields["correlation_id"]));

        Assert.Equal(2, await personal.EraseAsync(Alpha, erased, default));
        Assert.Equal(0, await personal.EraseAsync(Alpha, erased, default));
        Assert.Empty((await personal.ExportAsync(Alpha, erased, default)).Records);

        var entries = (await log.ListAsync(Alpha, null, 10, default)).Items.ToDictionary(e => e.CorrelationId!);
        Assert.Equal(3, entries.Count);
        var pseudonym = entries["c1"].ActorId!;
        Assert.Equal(ErasedUserKey.Of(Alpha, erased), pseudonym); // the pseudonym the erasure's own entry carries
        Assert.Equal(pseudonym, entries["c1"].TargetId);
        Assert.Equal(pseudonym, entries["c2"].TargetId);
        Assert.Equal("198.51.100.0/24", entries["c1"].Address);
        Assert.Equal(admin.Value, entries["c2"].ActorId);
        Assert.Equal("2001:db8:1:2::5", entries["c2"].Address); // the admin's own address is not the erased user's
        Assert.Equal(other.Value, entries["c3"].ActorId);
        Assert.Equal("192.0.2.9", entries["c3"].Address);
        var beta = Assert.Single((await log.ListAsync(Beta, null, 10, default)).Items);
        Assert.Equal(erased.Value, beta.ActorId);
    }
}
