using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.Identify;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Usage;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>Identify and quota over HTTP, end to end through the app; run once per store.</summary>
public abstract class IdentifyScenarios
{
    protected abstract ApiFactory Factory { get; }

    protected async Task Eleven_calls_for_a_new_free_user_allow_ten_then_point_to_the_upgrade_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();

        var answers = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 11; i++)
        {
            answers.Add(await client.IdentifyOkAsync(new { extension_id = extension, action_type = "text_rewrite" }));
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.True((bool)answers[i]["can_use"]!);
            Assert.Equal(9 - i, (int)answers[i]["hits_remaining"]!);
            Assert.Equal(10, (int)answers[i]["hits_limit"]!);
        }

        var last = answers[10];
        var userId = (string)last["user_id"]!;
        Assert.False((bool)last["can_use"]!);
        Assert.Equal(0, (int)last["hits_remaining"]!);
        var upgradeUrl = (string)last["upgrade_url"]!;
        Assert.StartsWith("https://alpha.example/upgrade?token=", upgradeUrl, StringComparison.Ordinal);
        Assert.DoesNotContain(userId, upgradeUrl, StringComparison.Ordinal);
        var linkToken = Uri.UnescapeDataString(upgradeUrl["https://alpha.example/upgrade?token=".Length..]);
        var named = await Factory.Services.GetRequiredService<Shared.Infrastructure.Identity.UpgradeLinkTokens>().ValidateAsync(linkToken, default);
        Assert.Equal((userId, "alpha"), (named!.UserId.Value, named.TenantId.Value));
        Assert.Equal("free", (string)last["subscription_status"]!);
        Assert.Equal("2026-11-24T00:00:00Z", (string)last["next_reset"]!);
        Assert.True(answers.All(a => (string)a["user_id"]! == userId));
        Assert.Equal(10, (await Stored(userId)).Used);
    }

    protected async Task The_warning_appears_once_eighty_percent_is_spent_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();

        var warnings = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            var answer = await client.IdentifyOkAsync(new { extension_id = extension });
            warnings.Add((string?)answer["warning"]);
            Assert.Equal(answer.ContainsKey("warning"), warnings[^1] is not null);
        }

        Assert.Equal([null, null, null, null, null, null, null, "quota_low", "quota_low", "quota_low"], warnings);
    }

    protected async Task The_same_request_id_twice_consumes_once_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();

        var first = await client.IdentifyOkAsync(new { extension_id = extension, request_id = "req-42" });
        var repeat = await client.IdentifyOkAsync(new { extension_id = extension, request_id = "req-42" });
        var next = await client.IdentifyOkAsync(new { extension_id = extension, request_id = "req-43" });

        Assert.Equal(9, (int)first["hits_remaining"]!);
        Assert.Equal(9, (int)repeat["hits_remaining"]!);
        Assert.True((bool)repeat["can_use"]!);
        Assert.Equal(8, (int)next["hits_remaining"]!);
        Assert.Equal(2, (await Stored((string)first["user_id"]!)).Used);
    }

    protected async Task Two_installations_sending_the_same_bare_email_stay_two_users_core()
    {
        var client = Factory.Tenant("alpha");
        var email = $"writer-{Guid.NewGuid():N}@example.com";

        var laptop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email });
        var desktop = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email = email.ToUpperInvariant() });

        Assert.NotEqual((string)laptop["user_id"]!, (string)desktop["user_id"]!);
        Assert.Equal(9, (int)desktop["hits_remaining"]!);
        var users = Factory.Services.GetRequiredService<IUserDirectory>();
        var first = await users.GetAsync(TenantId.Parse("alpha"), UserId.Parse((string)laptop["user_id"]!), default);
        var second = await users.GetAsync(TenantId.Parse("alpha"), UserId.Parse((string)desktop["user_id"]!), default);
        Assert.Equal((email, (EmailAddress?)null), (first!.ContactEmail!.Value.Value, first.VerifiedEmail));
        Assert.Equal((email, (EmailAddress?)null), (second!.ContactEmail!.Value.Value, second.VerifiedEmail));
    }

    protected async Task A_bare_email_sent_later_changes_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        var email = $"late-{Guid.NewGuid():N}@example.com";

        var anonymous = await client.IdentifyOkAsync(new { extension_id = extension });
        var later = await client.IdentifyOkAsync(new { extension_id = extension, email });
        var secondDevice = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), email });

        Assert.Equal((string)anonymous["user_id"]!, (string)later["user_id"]!);
        Assert.NotEqual((string)anonymous["user_id"]!, (string)secondDevice["user_id"]!);
        Assert.Equal(9, (int)secondDevice["hits_remaining"]!);
        var user = await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(TenantId.Parse("alpha"), UserId.Parse((string)anonymous["user_id"]!), default);
        Assert.Equal(((EmailAddress?)null, (EmailAddress?)null), (user!.ContactEmail, user.VerifiedEmail));
    }

    protected async Task Two_hundred_parallel_calls_for_a_fresh_user_allow_exactly_ten_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => client.IdentifyOkAsync(new { extension_id = extension }))));

        Assert.Equal(10, answers.Count(a => (bool)a["can_use"]!));
        Assert.Single(answers.Select(a => (string)a["user_id"]!).Distinct());
        Assert.Equal(10, (await Stored((string)answers[0]["user_id"]!)).Used);
        Assert.Equal(Enumerable.Range(0, 10).Reverse(), answers.Where(a => (bool)a["can_use"]!).Select(a => (int)a["hits_remaining"]!).OrderDescending());
    }

    protected async Task Unlimited_plans_answer_null_limits_and_no_upgrade_link_core()
    {
        var client = Factory.Tenant("gamma");

        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        Assert.True((bool)answer["can_use"]!);
        Assert.True(answer.ContainsKey("hits_remaining") && answer["hits_remaining"] is null);
        Assert.True(answer.ContainsKey("hits_limit") && answer["hits_limit"] is null);
        Assert.False(answer.ContainsKey("upgrade_url"));
        Assert.False(answer.ContainsKey("warning"));
        Assert.Equal("unlimited", (string)answer["subscription_status"]!);
    }

    protected async Task The_day_rolls_over_at_midnight_utc_core()
    {
        var client = Factory.Tenant("beta");
        var extension = ApiCalls.NewExtensionId();
        for (var i = 0; i < 3; i++)
        {
            await client.IdentifyOkAsync(new { extension_id = extension });
        }

        var exhausted = await client.IdentifyOkAsync(new { extension_id = extension });
        var now = Factory.Clock.Now;
        Factory.Clock.Set(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero));
        try
        {
            var nextDay = await client.IdentifyOkAsync(new { extension_id = extension });

            Assert.False((bool)exhausted["can_use"]!);
            Assert.True((bool)nextDay["can_use"]!);
            Assert.Equal(2, (int)nextDay["hits_remaining"]!);
        }
        finally
        {
            Factory.Clock.Set(now);
        }
    }

    protected async Task The_quota_endpoint_reports_the_callers_own_usage_core()
    {
        var client = Factory.Tenant("alpha");
        var extension = ApiCalls.NewExtensionId();
        for (var i = 0; i < 7; i++)
        {
            await client.IdentifyOkAsync(new { extension_id = extension });
        }

        var last = await client.IdentifyOkAsync(new { extension_id = extension });
        var (status, quota) = await client.GetQuotaAsync((string)last["user_id"]!, (string)last["access_token"]!);

        Assert.Equal(200, status);
        Assert.Equal(8, (int)quota["hits_used"]!);
        Assert.Equal(2, (int)quota["hits_remaining"]!);
        Assert.Equal(10, (int)quota["hits_limit"]!);
        Assert.Equal("day", (string)quota["period"]!);
        Assert.Equal("free", (string)quota["subscription_plan"]!);
        Assert.Equal("2026-11-24T00:00:00Z", (string)quota["next_reset"]!);
        Assert.Equal(8, (await Stored((string)last["user_id"]!)).Used);
    }

    protected async Task A_user_of_one_tenant_is_invisible_from_another_core()
    {
        var alpha = Factory.Tenant("alpha");
        var beta = Factory.Tenant("beta");
        var alphaUser = await alpha.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var betaUser = await beta.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var (withBetaToken, body) = await beta.GetQuotaAsync((string)alphaUser["user_id"]!, (string)betaUser["access_token"]!);
        var (withAlphaTokenAtBeta, mismatch) = await beta.GetQuotaAsync((string)alphaUser["user_id"]!, (string)alphaUser["access_token"]!);

        Assert.Equal(404, withBetaToken);
        Assert.Equal("user_not_found", (string)body["code"]!);
        Assert.Equal(403, withAlphaTokenAtBeta);
        Assert.Equal("tenant_mismatch", (string)mismatch["code"]!);
        Assert.Equal(1, (await Stored((string)alphaUser["user_id"]!)).Used);
    }

    protected async Task The_same_extension_id_in_two_tenants_is_two_users_core()
    {
        var extension = ApiCalls.NewExtensionId();

        var inAlpha = await Factory.Tenant("alpha").IdentifyOkAsync(new { extension_id = extension });
        var inBeta = await Factory.Tenant("beta").IdentifyOkAsync(new { extension_id = extension });

        Assert.NotEqual((string)inAlpha["user_id"]!, (string)inBeta["user_id"]!);
        Assert.Equal(2, (int)inBeta["hits_remaining"]!);
    }

    protected async Task A_returning_user_costs_one_store_round_trip_and_one_tombstone_read_core(ITestOutputHelper output)
    {
        var services = Factory.Services;
        var handler = services.GetRequiredService<IdentifyHandler>();
        var tenant = (await services.GetRequiredService<ITenantDirectory>().FindAsync(TenantId.Parse("gamma"), default))!;
        Assert.True(ExtensionId.TryParse(ApiCalls.NewExtensionId(), out var extension));
        var command = new IdentifyCommand(tenant, extension!.Value, null, "text_rewrite", null, "127.0.0.1");
        Assert.True((await handler.HandleAsync(command, default)).IsSuccess);
        await handler.HandleAsync(command, default);

        long withoutKey, withKey;
        using (var scope = StoreOperationCounter.BeginScope())
        {
            Assert.True((await handler.HandleAsync(command, default)).IsSuccess);
            withoutKey = scope.Count;
        }

        Assert.True(ClientRequestId.TryParse(Guid.NewGuid().ToString(), out var key));
        using (var scope = StoreOperationCounter.BeginScope())
        {
            Assert.True((await handler.HandleAsync(command with { RequestKey = key }, default)).IsSuccess);
            withKey = scope.Count;
        }

        output.WriteLine($"identify store round trips ({Factory.Store}, returning user): {withoutKey} without request_id, {withKey} with request_id");
        // The consume, plus the erasure tombstone's point read (privacy: identify must not write under an erased id; see
        // IdentifyHandler). That read is the price of closing the race with a concurrent erasure.
        Assert.Equal(2, withoutKey);
        Assert.Equal(Factory.Store == StoreKind.Sqlite ? 2 : 3, withKey);
    }

    protected async Task Identify_calls_are_written_to_the_usage_log_core()
    {
        var client = Factory.Tenant("beta");
        var extension = ApiCalls.NewExtensionId();
        for (var i = 0; i < 4; i++)
        {
            await client.IdentifyOkAsync(new { extension_id = extension, action_type = "grammar_check" });
        }

        var userId = (string)(await client.IdentifyOkAsync(new { extension_id = extension, action_type = "tone" }))["user_id"]!;
        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var records = await Factory.Services.GetRequiredService<Shared.Domain.Usage.IUsageLogStore>().ListForUserAsync(TenantId.Parse("beta"), UserId.Parse(userId), 10, default);

        Assert.Equal(5, records.Count);
        Assert.Equal(("tone", ConsumeKind.Denied), (records[0].ActionType, records[0].Outcome));
        Assert.Equal(3, records.Count(r => r.Outcome == ConsumeKind.Allowed));
    }

    protected async Task<QuotaAccount> Stored(string userId, string tenant = "alpha")
    {
        var quotas = Factory.Services.GetRequiredService<IQuotaStore>();
        var account = await quotas.GetAsync(TenantId.Parse(tenant), UserId.Parse(userId), default);
        return account ?? throw new InvalidOperationException($"No quota account for {userId}");
    }

    protected static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
