using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Accounts;
using Shared.Infrastructure.Sqlite;
using Xunit;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Tests.Accounts;

/// <summary>
/// A user's linked installations on both stores: the oldest <c>max</c> links, oldest first, each shown by the same
/// opaque id (<c>ext:</c> + digest) in both stores; another user's and another tenant's links never appear.
/// </summary>
public abstract class LinkedInstallationScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static ExtensionId Extension(string raw) => ExtensionId.TryParse(raw, out var id) ? id.Value : throw new ArgumentException(raw);

    [StoreFact]
    public async Task The_oldest_links_of_the_user_are_listed_first_by_their_digest_and_no_one_elses()
    {
        await using var set = await StoreAsync();
        var users = set.Get<IUserDirectory>();
        Assert.True(EmailAddress.TryParse($"linked-{Guid.NewGuid():N}@example.com", out var email));
        var user = UserId.New();
        var extensions = Enumerable.Range(0, 6).Select(i => Extension($"ext-{i}-{Guid.NewGuid():N}")).ToList();

        // Linked out of name order, one a minute (the fourth first), so time, not id, decides the order.
        var order = new[] { 3, 0, 5, 1, 4, 2 };
        for (var i = 0; i < order.Length; i++)
        {
            Assert.Equal(user, (await users.RegisterVerifiedInstallationAsync(Alpha, extensions[order[i]], email.Value, user, Start.AddMinutes(i), default)).UserId);
        }

        await users.RegisterInstallationAsync(Alpha, Extension($"other-{Guid.NewGuid():N}"), null, UserId.New(), Start.AddMinutes(-5), default);
        await users.RegisterVerifiedInstallationAsync(Beta, Extension($"beta-{Guid.NewGuid():N}"), email.Value, user, Start.AddMinutes(-5), default);

        var linked = set.Get<ILinkedInstallations>();
        var all = await linked.ListAsync(Alpha, user, 100, default);
        Assert.Equal(order.Select(i => CosmosLinkedInstallations.IdOf(extensions[i])), all.Select(l => l.InstallationId));
        Assert.Equal(order.Select((_, i) => Start.AddMinutes(i)), all.Select(l => l.LinkedAt));
        Assert.Matches("^ext:[0-9a-f]{64}$", all[0].InstallationId);

        var first = await linked.ListAsync(Alpha, user, 4, default);
        Assert.Equal(all.Take(4), first);
        Assert.Empty(await linked.ListAsync(Alpha, UserId.New(), 100, default));
        Assert.Single(await linked.ListAsync(Beta, user, 100, default));
    }
}

public sealed class SqliteLinkedInstallationTests : LinkedInstallationScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);

    [Fact]
    public async Task A_users_links_are_read_through_the_by_user_index_not_a_scan_of_the_tenant()
    {
        await using var set = await StoreAsync();
        var plan = set.Get<SqliteDatabase>().Read(c =>
        {
            using var command = Command(c, null, "EXPLAIN QUERY PLAN " + SqliteLinkedInstallations.ListSql, ("$t", "alpha"), ("$u", "u"), ("$max", 100));
            return string.Join(" | ", ReadAll(command, r => r.GetString(3)));
        });

        // A seek on (tenant, user) already in link order (SQLite reports a covering index): no scan and no sort.
        Assert.Contains("INDEX installations_by_user (tenant_id=? AND user_id=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }
}

[CosmosStore]
public sealed class CosmosLinkedInstallationTests : LinkedInstallationScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
