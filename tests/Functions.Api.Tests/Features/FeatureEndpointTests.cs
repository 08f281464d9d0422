using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Jobs;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>POST/GET /features/requests and the data sharing opt-in over HTTP, on a chosen store.</summary>
public abstract class FeatureEndpointScenarios(ApiFactory factory)
{
    protected ApiFactory Factory { get; } = factory;

    protected async Task<(HttpClient Client, string UserId)> UserAsync(string tenant = TestTenants.Alpha)
    {
        var client = Factory.Tenant(tenant);
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId(), action_type = "feature" });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)answer["access_token"]!);
        return (client, (string)answer["user_id"]!);
    }

    protected static Task<HttpResponseMessage> SubmitAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/features/requests") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    protected async Task A_submission_is_accepted_with_a_location_stored_pending_reserved_and_queued_core()
    {
        var (client, userId) = await UserAsync();

        using var response = await SubmitAsync(client, new { request_text = "Add a dark mode toggle" });
        var body = await ApiCalls.ReadObjectAsync(response);

        Assert.Equal(202, (int)response.StatusCode);
        var id = (string)body["id"]!;
        Assert.Equal($"/api/v1/features/requests/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("pending", (string)body["status"]!);
        Assert.Equal("standard", (string)body["priority"]!);
        var (_, quota) = await client.GetQuotaAsync(userId, client.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(2, (int)quota["hits_used"]!); // identify + the reservation

        using var poll = await client.GetAsync(response.Headers.Location);
        var polled = await ApiCalls.ReadObjectAsync(poll);
        Assert.Equal(200, (int)poll.StatusCode);
        Assert.Equal("pending", (string)polled["status"]!);
        Assert.Equal("Add a dark mode toggle", (string)polled["request_text"]!);
        Assert.True(poll.Headers.RetryAfter is not null, "an unfinished request tells the client when to poll again");

        // Other tests of this class queue requests too: look for this one among what is queued.
        var receiver = Factory.Services.GetRequiredService<IJobReceiver>();
        LeasedJob? queued = null;
        for (var i = 0; i < 100 && queued?.MessageId != id; i++)
        {
            queued = await receiver.ReceiveAsync([QueueNames.AiGenerationStandard], TimeSpan.FromMinutes(1), default);
        }

        Assert.Equal(id, queued?.MessageId);
        Assert.Contains(id, queued!.Body, StringComparison.Ordinal);
    }

    protected async Task A_retried_submission_with_the_same_idempotency_key_reserves_once_core()
    {
        var (client, userId) = await UserAsync();

        using var first = await SubmitAsync(client, new { request_text = "Export to CSV" }, "key-1");
        using var second = await SubmitAsync(client, new { request_text = "Export to CSV" }, "key-1");
        using var other = await SubmitAsync(client, new { request_text = "Something else" }, "key-1");

        Assert.Equal(202, (int)first.StatusCode);
        Assert.Equal(202, (int)second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(409, (int)other.StatusCode);
        var (_, quota) = await client.GetQuotaAsync(userId, client.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(2, (int)quota["hits_used"]!);
    }

    protected async Task Without_uses_left_a_submission_is_refused_with_429_and_nothing_is_stored_core()
    {
        var (client, userId) = await UserAsync(TestTenants.Beta); // 3 a day; identify took one
        for (var i = 0; i < 2; i++)
        {
            using var ok = await SubmitAsync(client, new { request_text = $"feature {i}" });
            Assert.Equal(202, (int)ok.StatusCode);
        }

        using var refused = await SubmitAsync(client, new { request_text = "one too many" });
        var problem = await ApiCalls.ReadObjectAsync(refused);

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("quota_exceeded", (string)problem["code"]!);
        var (_, quota) = await client.GetQuotaAsync(userId, client.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(3, (int)quota["hits_used"]!);
    }

    protected async Task Requests_are_private_to_their_user_and_tenant_core()
    {
        var (mine, _) = await UserAsync();
        var (theirs, _) = await UserAsync();
        using var submitted = await SubmitAsync(mine, new { request_text = "private" });
        var location = submitted.Headers.Location!;

        using var byOtherUser = await theirs.GetAsync(location);
        Assert.Equal(404, (int)byOtherUser.StatusCode);

        using var otherTenant = Factory.Tenant(TestTenants.Beta);
        otherTenant.DefaultRequestHeaders.Authorization = mine.DefaultRequestHeaders.Authorization;
        using var crossTenant = await otherTenant.GetAsync(location);
        Assert.Equal(403, (int)crossTenant.StatusCode);

        using var anonymous = Factory.Tenant(TestTenants.Alpha);
        using var noToken = await anonymous.PostAsJsonAsync("/api/v1/features/requests", new { request_text = "x" });
        Assert.Equal(401, (int)noToken.StatusCode);
    }

    protected async Task Bad_submissions_get_a_4xx_problem_and_reserve_nothing_core()
    {
        var (client, userId) = await UserAsync();
        var bodies = new[]
        {
            "{}",
            """{"request_text":""}""",
            """{"request_text":"   "}""",
            """{"request_text":42}""",
            """{"request_text":"bad\u0000char"}""",
            $$"""{"request_text":"{{new string('x', 4001)}}"}""",
            "not json",
            "[]",
        };
        foreach (var body in bodies)
        {
            using var response = await client.PostAsync("/api/v1/features/requests", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode is System.Net.HttpStatusCode.BadRequest, $"{body[..Math.Min(body.Length, 30)]}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var wrongType = await client.PostAsync("/api/v1/features/requests", new StringContent("request_text=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(415, (int)wrongType.StatusCode);
        using var badKey = await SubmitAsync(client, new { request_text = "x" }, new string('k', 129));
        Assert.Equal(400, (int)badKey.StatusCode);
        using var badId = await client.GetAsync("/api/v1/features/requests/not-an-id");
        Assert.Equal(404, (int)badId.StatusCode);

        var (_, quota) = await client.GetQuotaAsync(userId, client.DefaultRequestHeaders.Authorization!.Parameter);
        Assert.Equal(1, (int)quota["hits_used"]!);
    }

    protected async Task The_opt_in_endpoint_accepts_50_or_100_and_refuses_anything_else_core()
    {
        var (client, _) = await UserAsync();

        using var ok = await client.PostAsJsonAsync("/api/v1/data-sharing/opt-in", new { opt_in = true, profit_split = 100 });
        Assert.Equal(200, (int)ok.StatusCode);
        var body = await ApiCalls.ReadObjectAsync(ok);
        Assert.True((bool)body["opt_in"]!);
        Assert.Equal(100, (int)body["profit_split"]!);

        using var bad = await client.PostAsJsonAsync("/api/v1/data-sharing/opt-in", new { opt_in = true, profit_split = 75 });
        Assert.Equal(400, (int)bad.StatusCode);
        using var missing = await client.PostAsJsonAsync("/api/v1/data-sharing/opt-in", new { profit_split = 50 });
        Assert.Equal(400, (int)missing.StatusCode);
    }

    protected async Task History_lists_the_callers_requests_newest_first_in_pages_core()
    {
        var (client, _) = await UserAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) // the in-flight cap (3) allows three pending requests; nothing completes them here
        {
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
            using var response = await SubmitAsync(client, new { request_text = $"feature {i}" });
            ids.Add((string)(await ApiCalls.ReadObjectAsync(response))["id"]!);
        }

        var seen = new List<string>();
        string? continuation = null;
        do
        {
            var url = "/api/v1/features/requests?limit=2" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation));
            var page = JsonNode.Parse(await client.GetStringAsync(url))!;
            seen.AddRange(page["items"]!.AsArray().Select(i => (string)i!["id"]!));
            continuation = (string?)page["continuation"];
        }
        while (continuation is not null && seen.Count < 20);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        using var forged = await client.GetAsync("/api/v1/features/requests?continuation=garbage!!");
        Assert.Equal(400, (int)forged.StatusCode);
        using var badLimit = await client.GetAsync("/api/v1/features/requests?limit=0");
        Assert.Equal(400, (int)badLimit.StatusCode);
        using var nanLimit = await client.GetAsync("/api/v1/features/requests?limit=ten");
        Assert.Equal(400, (int)nanLimit.StatusCode);
    }
}

public sealed class SqliteFeatureEndpointTests(SqliteApi api) : FeatureEndpointScenarios(api.Factory), IClassFixture<SqliteApi>
{
    [Fact]
    public Task A_submission_is_accepted_with_a_location_stored_pending_reserved_and_queued() => A_submission_is_accepted_with_a_location_stored_pending_reserved_and_queued_core();

    [Fact]
    public Task A_retried_submission_with_the_same_idempotency_key_reserves_once() => A_retried_submission_with_the_same_idempotency_key_reserves_once_core();

    [Fact]
    public Task Without_uses_left_a_submission_is_refused_with_429_and_nothing_is_stored() => Without_uses_left_a_submission_is_refused_with_429_and_nothing_is_stored_core();

    [Fact]
    public Task Requests_are_private_to_their_user_and_tenant() => Requests_are_private_to_their_user_and_tenant_core();

    [Fact]
    public Task Bad_submissions_get_a_4xx_problem_and_reserve_nothing() => Bad_submissions_get_a_4xx_problem_and_reserve_nothing_core();

    [Fact]
    public Task The_opt_in_endpoint_accepts_50_or_100_and_refuses_anything_else() => The_opt_in_endpoint_accepts_50_or_100_and_refuses_anything_else_core();

    [Fact]
    public Task History_lists_the_callers_requests_newest_first_in_pages() => History_lists_the_callers_requests_newest_first_in_pages_core();
}

public sealed class CosmosFeatureEndpointTests(CosmosApi api) : FeatureEndpointScenarios(api.Factory), IClassFixture<CosmosApi>
{
    [CosmosFact]
    public Task A_submission_is_accepted_with_a_location_stored_pending_reserved_and_queued() => A_submission_is_accepted_with_a_location_stored_pending_reserved_and_queued_core();

    [CosmosFact]
    public Task A_retried_submission_with_the_same_idempotency_key_reserves_once() => A_retried_submission_with_the_same_idempotency_key_reserves_once_core();

    [CosmosFact]
    public Task Without_uses_left_a_submission_is_refused_with_429_and_nothing_is_stored() => Without_uses_left_a_submission_is_refused_with_429_and_nothing_is_stored_core();

    [CosmosFact]
    public Task Requests_are_private_to_their_user_and_tenant() => Requests_are_private_to_their_user_and_tenant_core();

    [CosmosFact]
    public Task Bad_submissions_get_a_4xx_problem_and_reserve_nothing() => Bad_submissions_get_a_4xx_problem_and_reserve_nothing_core();

    [CosmosFact]
    public Task The_opt_in_endpoint_accepts_50_or_100_and_refuses_anything_else() => The_opt_in_endpoint_accepts_50_or_100_and_refuses_anything_else_core();

    [CosmosFact]
    public Task History_lists_the_callers_requests_newest_first_in_pages() => History_lists_the_callers_requests_newest_first_in_pages_core();
}
