using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Usage;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Every way a client can get identify and quota wrong: a 4xx problem with a code, and nothing stored.</summary>
public sealed class BadInputTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private ApiFactory Factory => api.Factory;

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{}", "validation_failed", "extension_id" },
        { """{"extension_id":""}""", "validation_failed", "extension_id" },
        { """{"extension_id":"   "}""", "validation_failed", "extension_id" },
        { """{"extension_id":null}""", "validation_failed", "extension_id" },
        { $$"""{"extension_id":"{{new string('x', 129)}}"}""", "validation_failed", "extension_id" },
        { """{"extension_id":"has space"}""", "validation_failed", "extension_id" },
        { """{"extension_id":12345}""", "validation_failed", "extension_id" },
        { """{"extension_id":{"a":1}}""", "validation_failed", "extension_id" },
        { """{"extension_id":["a"]}""", "validation_failed", "extension_id" },
        { """{"extension_id":true}""", "validation_failed", "extension_id" },
        { """{"extension_id":"ok-1","email":"not-an-email"}""", "validation_failed", "email" },
        { """{"extension_id":"ok-1","email":42}""", "validation_failed", "email" },
        { $$"""{"extension_id":"ok-1","email":"{{new string('a', 250)}}@b.com"}""", "validation_failed", "email" },
        { """{"extension_id":"ok-1","action_type":"drop table"}""", "validation_failed", "action_type" },
        { $$"""{"extension_id":"ok-1","action_type":"{{new string('a', 65)}}"}""", "validation_failed", "action_type" },
        { $$"""{"extension_id":"ok-1","request_id":"{{new string('r', 129)}}"}""", "validation_failed", "request_id" },
        { """{"extension_id":"ok-1","request_id":""}""", "validation_failed", "request_id" },
        { """{"extension_id":"ok-1","request_id":7}""", "validation_failed", "request_id" },
        { """{"extension_id":"ok-1",""", "invalid_json", "" },
        { "not json at all", "invalid_json", "" },
        { "[]", "invalid_json", "" },
        { "\"a string\"", "invalid_json", "" },
        { "null", "invalid_json", "" },
        { "", "invalid_json", "" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Invalid_identify_bodies_are_refused_with_the_field_named_and_nothing_stored(string body, string code, string field)
    {
        var before = CountRows();

        using var response = await Post("alpha", body);
        var problem = await ApiCalls.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (string)problem["code"]!);
        if (field.Length > 0)
        {
            Assert.True(problem["errors"]?[field] is not null, $"expected an error for '{field}' in {problem}");
        }

        Assert.Equal(before, CountRows());
    }

    [Fact]
    public async Task Every_invalid_field_is_listed_at_once()
    {
        using var response = await Post("alpha", """{"extension_id":"","email":"nope","action_type":"a b","request_id":""}""");
        var errors = (await ApiCalls.ReadObjectAsync(response))["errors"]!.AsObject();

        Assert.Equal(["action_type", "email", "extension_id", "request_id"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413()
    {
        var before = CountRows();

        using var response = await Post("alpha", $$"""{"extension_id":"ok-1","padding":"{{new string('p', 20_000)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
        Assert.Equal(before, CountRows());
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_media_type_is_refused_with_415()
    {
        using var client = Factory.Tenant("alpha");
        using var content = new StringContent("""{"extension_id":"ok-1"}""", Encoding.UTF8, "text/plain");

        using var response = await client.PostAsync("/api/v1/users/identify", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest, "tenant_required")]
    [InlineData("", HttpStatusCode.BadRequest, "tenant_required")]
    [InlineData("Not A Tenant!", HttpStatusCode.BadRequest, "invalid_tenant")]
    [InlineData("no-such-tenant", HttpStatusCode.NotFound, "tenant_not_found")]
    public async Task A_missing_malformed_or_unknown_tenant_is_refused(string? tenant, HttpStatusCode status, string code)
    {
        var before = CountRows();
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/identify") { Content = new StringContent("""{"extension_id":"ok-1"}""", Encoding.UTF8, "application/json") };
        if (tenant is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Tenant-ID", tenant);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string)(await ApiCalls.ReadObjectAsync(response))["code"]!);
        Assert.Equal(before, CountRows());
    }

    [Theory]
    [InlineData("not-a-user-id")]
    [InlineData("01a200ec790f7686a2c9be91690ee801")]
    public async Task A_malformed_user_id_in_the_quota_path_is_a_400(string userId)
    {
        using var client = Factory.Tenant("alpha");
        var caller = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        var (status, body) = await client.GetQuotaAsync(userId, (string)caller["access_token"]!);

        Assert.Equal(400, status);
        Assert.Equal("validation_failed", (string)body["code"]!);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_get_problem_responses()
    {
        using var client = Factory.Tenant("alpha");

        using var missing = await client.GetAsync("/api/v1/no-such-thing");
        using var wrongMethod = await client.DeleteAsync("/api/v1/users/identify");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (string)(await ApiCalls.ReadObjectAsync(missing))["code"]!);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("method_not_allowed", (string)(await ApiCalls.ReadObjectAsync(wrongMethod))["code"]!);
    }

    [Fact]
    public async Task New_installations_from_one_address_are_rate_limited_but_returning_users_are_not()
    {
        using var limited = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:NewInstallations:PermitsPerWindow"] = "3" });
        using var client = limited.Tenant("alpha");
        var returning = ApiCalls.NewExtensionId();
        await client.IdentifyOkAsync(new { extension_id = returning });
        await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });

        using var fourth = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId() });
        var again = await client.IdentifyOkAsync(new { extension_id = returning });

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("installation_rate_limited", (string)(await ApiCalls.ReadObjectAsync(fourth))["code"]!);
        Assert.True((bool)again["can_use"]!);
    }

    [Fact]
    public async Task New_installations_from_addresses_of_one_IPv6_64_share_one_limit()
    {
        using var limited = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?> { ["RateLimits:NewInstallations:PermitsPerWindow"] = "3" });
        var statuses = new List<HttpStatusCode>();
        foreach (var peer in new[] { "2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff::3", "2001:db8:7:1:abcd::4" })
        {
            using var client = limited.Tenant("alpha", peer);
            using var response = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId() });
            statuses.Add(response.StatusCode);
        }

        using var neighbour = limited.Tenant("alpha", "2001:db8:7:2::1");
        using var neighbours = await neighbour.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId() });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, neighbours.StatusCode);
    }

    [Fact]
    public async Task Control_characters_and_injection_strings_are_stored_safely_or_refused()
    {
        using var client = Factory.Tenant("alpha");
        var sneaky = "x'); DROP TABLE users; --";

        using var refused = await client.IdentifyAsync(new { extension_id = sneaky });
        var accepted = await client.IdentifyOkAsync(new { extension_id = "x');DROP-TABLE-users;--", request_id = "\"]) OR 1=1 --" });
        var again = await client.IdentifyOkAsync(new { extension_id = "x');DROP-TABLE-users;--", request_id = "\"]) OR 1=1 --" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal((int)accepted["hits_remaining"]!, (int)again["hits_remaining"]!);
    }

    [Fact]
    public async Task Answers_carry_security_headers_and_api_answers_are_not_cached()
    {
        using var client = Factory.Tenant("alpha");

        using var identify = await client.IdentifyAsync(new { extension_id = ApiCalls.NewExtensionId() });
        using var page = await client.GetAsync("/api/v1/tenants/alpha/pricing");
        using var problem = await client.GetAsync("/api/v1/no-such-thing");

        foreach (var response in new[] { identify, page, problem })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }

        Assert.True(identify.Headers.CacheControl!.NoStore);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(identify.Headers.Contains("Server"));
    }

    private async Task<HttpResponseMessage> Post(string tenant, string body)
    {
        using var client = Factory.Tenant(tenant);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.PostAsync("/api/v1/users/identify", content);
    }

    private (long Users, long Installations, long Quotas, long Usage) CountRows()
    {
        _ = Factory.Services; // make sure the app (and its database) exists
        Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default).GetAwaiter().GetResult();
        using var connection = new SqliteConnection($"Data Source={Factory.SqlitePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        long Count(string table)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }

        return (Count("users"), Count("installations"), Count("quotas"), Count("usage_log"));
    }
}
