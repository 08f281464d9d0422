using System.Text.Json;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Domain.Identify;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.DataSharing;

/// <summary>
/// The nightly anonymization over generated populations (five seeds on SQLite, one on Cosmos): no input PII string appears anywhere in
/// what it stores, groups below k are suppressed, users who did not opt in are not counted, and a rerun changes nothing.
/// </summary>
public sealed class AnonymizationTests
{
    private static readonly DateOnly Day = new(2026, 11, 22);
    private static readonly string[] CommonActions = ["text_rewrite", "summarize", "translate"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public Task No_pii_leaves_small_groups_are_suppressed_and_a_rerun_changes_nothing(int seed) =>
        No_pii_leaves_small_groups_are_suppressed_and_a_rerun_changes_nothing_core(seed, clock => StoreSet.SqliteAsync(clock));

    // One population on Cosmos: its opt-in, usage-window, feature-window and insight queries (prefix and full-key).
    [CosmosFact]
    public Task On_cosmos_no_pii_leaves_small_groups_are_suppressed_and_a_rerun_changes_nothing() =>
        No_pii_leaves_small_groups_are_suppressed_and_a_rerun_changes_nothing_core(1, clock => StoreSet.CosmosAsync(clock));

    [Fact]
    public Task Opt_in_takes_a_split_of_50_or_100_and_opting_out_removes_the_user_from_the_next_run() =>
        Opt_in_takes_a_split_of_50_or_100_and_opting_out_removes_the_user_from_the_next_run_core(StoreSet.SqliteAsync());

    [CosmosFact]
    public Task On_cosmos_opt_in_takes_a_split_of_50_or_100_and_opting_out_removes_the_user_from_the_next_run() =>
        Opt_in_takes_a_split_of_50_or_100_and_opting_out_removes_the_user_from_the_next_run_core(StoreSet.CosmosAsync());

    private static async Task No_pii_leaves_small_groups_are_suppressed_and_a_rerun_changes_nothing_core(int seed, Func<TimeProvider, Task<StoreSet>> open)
    {
        var random = new Random(seed);
        var clock = new ManualTimeProvider(new DateTimeOffset(Day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));
        await using var store = await open(clock);
        await store.Get<IStoreLifecycle>().InitializeAsync(default);
        var tenant = new Tenant(TenantId.Parse("alpha"), "Alpha", [new Plan(PlanId.Parse("free"), "Free", new Allowance(null, ResetPeriod.Month), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}");
        await store.Tenants.UpsertAsync(tenant, default);
        var identify = store.Get<IdentifyHandler>();
        var sharing = store.Get<IDataSharingStore>();
        var features = store.Get<IFeatureRequestStore>();

        var pii = new List<string>();
        var expected = new Dictionary<string, HashSet<UserId>>(); // dimension -> opted-in users (to know what must be suppressed)
        var optedIn = 0;
        var population = random.Next(25, 60);
        for (var i = 0; i < population; i++)
        {
            var email = $"person{random.Next():x}.{i}@mail{random.Next(100)}.example";
            var extension = $"ext-{Guid.NewGuid():N}";
            var address = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
            var text = $"Please build feature {Guid.NewGuid():N} for {email}";
            Assert.True(ExtensionId.TryParse(extension, out var extensionId));
            Assert.True(EmailAddress.TryParse(email, out var emailAddress));
            var result = await identify.HandleAsync(new IdentifyCommand(tenant, extensionId.Value, emailAddress.Value, "text_rewrite", null, address), default);
            var user = result.Value.UserId;
            pii.AddRange([email, extension, address, text, user.Value]);

            var opts = random.NextDouble() < 0.8;
            await sharing.SetAsync(new DataSharingPreference(tenant.Id, user, opts, random.Next(2) == 0 ? 50 : 100, clock.GetUtcNow()), default);
            optedIn += opts ? 1 : 0;

            // Common actions, a rare one few people use, and labels that are themselves personal data.
            var actions = new List<string> { CommonActions[random.Next(CommonActions.Length)] };
            if (random.NextDouble() < 0.1)
            {
                actions.Add("rare_action");
            }

            if (random.NextDouble() < 0.5)
            {
                actions.Add(email.Length <= 64 ? email : email[..64]);
            }

            var at = new DateTimeOffset(Day.ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.Zero);
            await store.Usage.AppendAsync([.. actions.Select(a => new UsageRecord(tenant.Id, user, a, ConsumeKind.Allowed, at))], default);
            await store.Usage.AppendAsync([new UsageRecord(tenant.Id, user, "text_rewrite", ConsumeKind.Allowed, at.AddDays(1))], default); // another day: not counted
            await features.TryCreateAsync(
                new FeatureRequest
                {
                    Id = FeatureRequest.NewId(tenant.Id, user, null),
                    TenantId = tenant.Id,
                    UserId = user,
                    RequestText = text,
                    Status = FeatureRequestStatus.Completed,
                    Reservation = ReservationState.Committed,
                    Queue = QueueNames.AiGenerationStandard,
                    GeneratedCode = $"// for {email}",
                    CreatedAt = at,
                    UpdatedAt = at,
                },
                default);

            if (opts)
            {
                foreach (var action in actions.Distinct())
                {
                    var dimension = $"{NightlyAnonymization.SafeDimension(action)}:allowed";
                    (expected.TryGetValue(dimension, out var set) ? set : expected[dimension] = []).Add(user);
                }
            }
        }

        var job = store.Get<NightlyAnonymization>();
        var k = store.Get<AnonymizationOptions>().K;
        var report = await job.RunAsync(tenant, Day, default);
        var insights = store.Get<IInsightStore>();
        var rows = await insights.ListAsync(tenant.Id, Day, default);
        var output = JsonSerializer.Serialize(rows);

        Assert.False(report.AlreadyDone);
        Assert.NotEmpty(rows); // otherwise "nothing leaked" would prove nothing
        foreach (var value in pii)
        {
            Assert.DoesNotContain(value, output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.All(rows, r => Assert.True(r.Contributors >= k, $"{r.Metric}/{r.Dimension} has {r.Contributors} contributors, below k={k}"));
        Assert.All(rows, r => Assert.Matches("^[a-z_]+(:[a-z_]+)?$", r.Dimension));
        foreach (var (dimension, users) in expected)
        {
            var row = rows.SingleOrDefault(r => r.Metric == NightlyAnonymization.UsageMetric && r.Dimension == dimension);
            if (users.Count >= k)
            {
                Assert.NotNull(row);
                Assert.Equal(users.Count, row.Contributors);
            }
            else
            {
                Assert.Null(row);
            }
        }

        var active = rows.SingleOrDefault(r => r.Metric == NightlyAnonymization.ActiveUsersMetric);
        if (optedIn >= k)
        {
            Assert.Equal(optedIn, active!.Contributors);
        }
        else
        {
            Assert.Null(active); // a group under k is suppressed
        }

        var rerun = await job.RunAsync(tenant, Day, default);
        Assert.True(rerun.AlreadyDone);
        Assert.Equal(output, JsonSerializer.Serialize(await insights.ListAsync(tenant.Id, Day, default)));
    }

    private static async Task Opt_in_takes_a_split_of_50_or_100_and_opting_out_removes_the_user_from_the_next_run_core(Task<StoreSet> opening)
    {
        await using var store = await opening;
        var handler = store.Get<DataSharingHandler>();
        var tenant = TenantId.Parse("alpha");
        var user = UserId.New();

        Assert.False((await handler.SetAsync(tenant, user, true, 70, default)).IsSuccess);
        Assert.False((await handler.SetAsync(tenant, user, null, 50, default)).IsSuccess);
        Assert.Empty(await store.Get<IDataSharingStore>().ListOptedInAsync(tenant, null, 10, default));

        var joined = await handler.SetAsync(tenant, user, true, 100, default);
        Assert.Equal(new DataSharingResult(true, 100), joined.Value);
        Assert.Equal([user], await store.Get<IDataSharingStore>().ListOptedInAsync(tenant, null, 10, default));
        Assert.Empty(await store.Get<IDataSharingStore>().ListOptedInAsync(TenantId.Parse("beta"), null, 10, default));

        var left = await handler.SetAsync(tenant, user, false, null, default);
        Assert.Equal(new DataSharingResult(false, 100), left.Value); // the split is kept
        Assert.Empty(await store.Get<IDataSharingStore>().ListOptedInAsync(tenant, null, 10, default));
    }
}
