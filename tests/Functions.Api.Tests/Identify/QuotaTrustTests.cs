using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>
/// Two attacks from the adversarial review, replayed through the public API on each store: identify request ids that
/// pre-record future feature requests' reservations and carry them into the next period (observed: 19 uses granted in a
/// 10-use period), and one paid user flooding the tenant's AI capacity so other users' jobs cannot complete.
/// </summary>
public abstract class QuotaTrustScenarios(ITestOutputHelper output)
{
    private static readonly TenantId Alpha = TenantId.Parse(TestTenants.Alpha);

    protected abstract ApiFactory NewFactory(IDictionary<string, string?> overrides);

    private static async Task<(HttpClient Client, UserId User, string Extension)> IdentifiedAsync(ApiFactory factory, string? extension = null, string? requestId = null)
    {
        extension ??= ApiCalls.NewExtensionId();
        var (client, answer) = await factory.IdentifiedClientAsync(TestTenants.Alpha, new { extension_id = extension, action_type = "feature", request_id = requestId });
        return (client, UserId.Parse((string)answer["user_id"]!), extension);
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string text, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/features/requests") { Content = JsonContent.Create(new { request_text = text }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    protected async Task Identify_request_ids_never_pre_pay_feature_requests_in_the_next_period_core()
    {
        // The cap on pending requests is lifted here so that only the key binding stands between the attacker and free uses.
        await using var factory = NewFactory(new Dictionary<string, string?> { ["Features:MaxInFlightPerUser"] = "50" });
        factory.Clock.Set(new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero)); // the free plan's day ends in an hour
        var (_, user, extension) = await IdentifiedAsync(factory);

        // Day 1: the rest of the day's uses spent on identify calls whose request_ids are the reservation keys (as the
        // first version spelled them) of ten feature requests the attacker will submit tomorrow with known Idempotency-Keys.
        var client = factory.Tenant(TestTenants.Alpha);
        for (var i = 0; i < 9; i++)
        {
            var futureId = FeatureRequest.NewId(Alpha, user, $"tomorrow-{i}");
            var answer = await client.IdentifyOkAsync(new { extension_id = extension, action_type = "feature", request_id = "feature-request:" + futureId });
            Assert.True((bool)answer["can_use"]!);
        }

        // Day 2, 00:30 (well within 24 h of every key): a fresh token, then the ten feature requests and the day-1 keys again.
        factory.Clock.Set(new DateTimeOffset(2026, 11, 24, 0, 30, 0, TimeSpan.Zero));
        var (attacker, _, _) = await IdentifiedAsync(factory, extension);
        var granted = 1;
        var statuses = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await SubmitAsync(attacker, $"feature {i}", $"tomorrow-{i}");
            statuses.Add((int)response.StatusCode);
            granted += response.IsSuccessStatusCode ? 1 : 0;
        }

        for (var i = 0; i < 9; i++)
        {
            var replay = await attacker.IdentifyOkAsync(new { extension_id = extension, action_type = "feature", request_id = "feature-request:" + FeatureRequest.NewId(Alpha, user, $"tomorrow-{i}") });
            granted += (bool)replay["can_use"]! ? 1 : 0;
        }

        var (_, quota) = await attacker.GetQuotaAsync(user.Value, attacker.DefaultRequestHeaders.Authorization!.Parameter);
        output.WriteLine($"day 2: {granted} uses granted of 10 (submissions answered {string.Join(",", statuses)}), hits_used {quota["hits_used"]}");
        Assert.Equal(Enumerable.Repeat(202, 9).Append(429), statuses);
        Assert.Equal(10, granted);
        Assert.Equal(10, (int)quota["hits_used"]!);
    }

    protected async Task One_user_flooding_the_ai_cannot_keep_another_users_request_from_completing_core()
    {
        await using var factory = NewFactory(new Dictionary<string, string?>
        {
            ["Ai:RequestsPerMinutePerTenant"] = "2", // the tenant's AI capacity: one call every 30 s
            ["Ai:CacheTtlMinutes"] = "0",
            ["Features:MaxInFlightPerUser"] = "3",
        });
        var services = factory.Services;
        var start = factory.Clock.Now;
        var (flooder, flooderId, _) = await IdentifiedAsync(factory);
        Assert.True(await services.GetRequiredService<IQuotaStore>().ChangePlanAsync(Alpha, flooderId, PlanId.Parse("pro"), Allowance.PerMonth(1000), start, start, default));
        var (victim, victimId, _) = await IdentifiedAsync(factory);

        // The flood: 50 distinct requests at once from the paid user.
        var flood = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await SubmitAsync(flooder, $"flood {i}");
            var body = await ApiCalls.ReadObjectAsync(response);
            return ((int)response.StatusCode, (string?)body["code"]);
        }));
        using var victims = await SubmitAsync(victim, "the victim's feature");
        var victimRequest = (string)(await ApiCalls.ReadObjectAsync(victims))["id"]!;

        Assert.Equal(3, flood.Count(r => r.Item1 == 202));
        Assert.Equal(47, flood.Count(r => r is (429, "too_many_pending")));
        Assert.Equal(202, (int)victims.StatusCode);
        var quotas = services.GetRequiredService<IQuotaStore>();
        Assert.Equal(3, (await quotas.GetAsync(Alpha, flooderId, default))!.Used); // the upgrade started a fresh allowance; refused requests reserved nothing…
        var flooderRequests = await services.GetRequiredService<IFeatureRequestStore>().ListAsync(Alpha, flooderId, 100, null, default);
        Assert.Equal(3, flooderRequests.Items.Count); // …and stored nothing

        // The workers, driven by the test clock in 10 s steps: the flooder's three paid requests go first (priority
        // queue), the tenant's limit makes the rest wait their turn, and the victim's request completes.
        var store = services.GetRequiredService<IFeatureRequestStore>();
        TimeSpan? victimDoneAfter = null;
        for (var step = 0; step < 60 && (victimDoneAfter is null || (await store.ListAsync(Alpha, flooderId, 10, null, default)).Items.Any(r => !r.IsFinished)); step++)
        {
            await DrainDueJobsAsync(services);
            if (victimDoneAfter is null && (await store.GetAsync(Alpha, victimId, victimRequest, default))!.Status == FeatureRequestStatus.Completed)
            {
                victimDoneAfter = factory.Clock.Now - start;
            }

            factory.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        output.WriteLine($"victim's request completed {victimDoneAfter?.TotalSeconds} s after the flood (tenant limit 2/min)");
        Assert.NotNull(victimDoneAfter);
        Assert.True(victimDoneAfter <= TimeSpan.FromMinutes(2), $"the victim waited {victimDoneAfter} for three paid requests at 2 a minute");
        Assert.All((await store.ListAsync(Alpha, flooderId, 10, null, default)).Items, r => Assert.Equal(FeatureRequestStatus.Completed, r.Status));
        Assert.Equal(2, (await quotas.GetAsync(Alpha, victimId, default))!.Used); // identify + the completed request

        // Finished requests free their slots: the flooder may submit again, three at a time.
        using var again = await SubmitAsync(flooder, "after the flood");
        Assert.Equal(202, (int)again.StatusCode);
    }

    /// <summary>What the Functions host does with the queues: deliver what is due, complete on success, give back otherwise.</summary>
    private static async Task DrainDueJobsAsync(IServiceProvider services)
    {
        var receiver = services.GetRequiredService<IJobReceiver>();
        var processor = services.GetRequiredService<FeatureJobProcessor>();
        for (var i = 0; i < 100; i++)
        {
            var job = await receiver.ReceiveAsync([QueueNames.AiGenerationPriority, QueueNames.AiGenerationStandard], TimeSpan.FromMinutes(5), default);
            if (job is null)
            {
                return;
            }

            var ok = FeatureJob.TryParse(job.Body, out var parsed) && (await processor.ProcessAsync(parsed!, default)).Succeeded;
            if (ok)
            {
                await receiver.CompleteAsync(job, default);
            }
            else
            {
                await receiver.AbandonAsync(job, TimeSpan.Zero, "not handled", default);
            }
        }
    }
}

public sealed class SqliteQuotaTrustTests(ITestOutputHelper output) : QuotaTrustScenarios(output)
{
    protected override ApiFactory NewFactory(IDictionary<string, string?> overrides) => new(StoreKind.Sqlite, overrides);

    [Fact]
    public Task Identify_request_ids_never_pre_pay_feature_requests_in_the_next_period() => Identify_request_ids_never_pre_pay_feature_requests_in_the_next_period_core();

    [Fact]
    public Task One_user_flooding_the_ai_cannot_keep_another_users_request_from_completing() => One_user_flooding_the_ai_cannot_keep_another_users_request_from_completing_core();
}

public sealed class CosmosQuotaTrustTests(ITestOutputHelper output) : QuotaTrustScenarios(output)
{
    protected override ApiFactory NewFactory(IDictionary<string, string?> overrides) => new(StoreKind.Cosmos, overrides);

    [CosmosFact]
    public Task Identify_request_ids_never_pre_pay_feature_requests_in_the_next_period() => Identify_request_ids_never_pre_pay_feature_requests_in_the_next_period_core();

    [CosmosFact]
    public Task One_user_flooding_the_ai_cannot_keep_another_users_request_from_completing() => One_user_flooding_the_ai_cannot_keep_another_users_request_from_completing_core();
}
