using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests.DataSharing;

/// <summary>The data-sharing events intake, the user's summary and the admins' releases over HTTP (embedded store, folder export).</summary>
public sealed class DataSharingEndpointTests : IDisposable
{
    private static readonly TenantId Alpha = TenantId.Parse(TestTenants.Alpha);
    private readonly ApiFactory _factory = new(StoreKind.Sqlite);

    private DateTimeOffset Now => _factory.Clock.GetUtcNow();

    private DateOnly Yesterday => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1);

    [Fact]
    public async Task Events_of_a_user_who_has_not_opted_in_are_refused_with_403_and_nothing_is_stored()
    {
        var (client, userId) = await UserAsync();
        using var never = await PostEventsAsync(client, Event("https://docs.example.co.uk/a", "visit", Now.AddMinutes(-5)));
        Assert.Equal(403, (int)never.StatusCode);
        Assert.Equal(SubmitDataSharingEvents.NotOptedInCode, (string)(await ApiCalls.ReadObjectAsync(never))["code"]!);

        // Opted out after opting in: refused the same way.
        await OptInAsync(client, true);
        await OptInAsync(client, false);
        using var withdrawn = await PostEventsAsync(client, Event("https://docs.example.co.uk/a", "visit", Now.AddMinutes(-5)));
        Assert.Equal(403, (int)withdrawn.StatusCode);
        Assert.Empty(await StoredTodayAsync());
        Assert.NotEqual(string.Empty, userId);
    }

    [Fact]
    public async Task An_opted_in_users_events_are_stored_with_the_site_reduced_to_its_registrable_domain()
    {
        var (client, userId) = await UserAsync();
        await OptInAsync(client, true);
        using var response = await PostEventsAsync(
            client,
            Event("https://docs.example.co.uk/users/me@mail.com?phone=123", "visit", Now.AddMinutes(-5)),
            Event("a.b.github.io", "feature_run", Now.AddMinutes(-4)));

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(2, (int)(await ApiCalls.ReadObjectAsync(response))["accepted"]!);
        var stored = await StoredTodayAsync();
        Assert.Equal(["b.github.io", "example.co.uk"], stored.Select(e => e.Site.Value).Order(StringComparer.Ordinal));
        Assert.All(stored, e => Assert.Equal(userId, e.UserId.Value));
    }

    [Theory]
    [InlineData("""{"events":[{"site":"co.uk","kind":"visit","at":"{now}"}]}""", "events[0].site")]
    [InlineData("""{"events":[{"site":"http://10.0.0.1/","kind":"visit","at":"{now}"}]}""", "events[0].site")]
    [InlineData("""{"events":[{"site":"example.com","kind":"purchase","at":"{now}"}]}""", "events[0].kind")]
    [InlineData("""{"events":[{"site":"example.com","kind":"visit"}]}""", "events[0].at")]
    [InlineData("""{"events":[{"site":"example.com","kind":"visit","at":"{old}"}]}""", "events[0].at")]
    [InlineData("""{"events":[{"site":"example.com","kind":"visit","at":"{now}"},{"site":"example.com","kind":"nope","at":"{now}"}]}""", "events[1].kind")]
    [InlineData("""{"events":[]}""", "events")]
    [InlineData("""{}""", "events")]
    public async Task Bad_events_are_refused_with_400_naming_the_field_and_nothing_is_stored(string template, string field)
    {
        var (client, _) = await UserAsync();
        await OptInAsync(client, true);
        var body = template.Replace("{now}", Now.AddMinutes(-1).ToString("O"), StringComparison.Ordinal).Replace("{old}", Now.AddDays(-3).ToString("O"), StringComparison.Ordinal);
        using var response = await client.PostAsync("/api/v1/data-sharing/events", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await ApiCalls.ReadObjectAsync(response);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("validation_failed", (string)problem["code"]!);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty(await StoredTodayAsync());
    }

    [Fact]
    public async Task More_events_than_a_batch_may_carry_are_refused_and_nothing_is_stored()
    {
        var (client, _) = await UserAsync();
        await OptInAsync(client, true);
        using var response = await PostEventsAsync(client, [.. Enumerable.Range(0, 101).Select(_ => Event("example.com", "visit", Now.AddMinutes(-1)))]);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Empty(await StoredTodayAsync());
    }

    [Fact]
    public async Task An_admin_releases_a_missed_day_lists_and_downloads_it_and_a_second_run_is_refused_with_409()
    {
        // 200 opted-in users of one site yesterday (more than the default threshold of 133), one user of another.
        var preferences = _factory.Services.GetRequiredService<IDataSharingStore>();
        var events = _factory.Services.GetRequiredService<IDataSharingEventStore>();
        var users = Enumerable.Range(0, 200).Select(_ => UserId.New()).ToList();
        var at = new DateTimeOffset(Yesterday.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
        foreach (var user in users)
        {
            await preferences.SetAsync(new DataSharingPreference(Alpha, user, true, 50, Now), default);
            await events.AddAsync(Alpha, [new DataSharingEvent(user, RegistrableDomain.Parse("example.co.uk"), DataSharingEventKind.Visit, at)], default);
        }

        await events.AddAsync(Alpha, [new DataSharingEvent(users[0], RegistrableDomain.Parse("lonely-site.org"), DataSharingEventKind.Visit, at)], default);
        var admin = await AdminAsync();

        using var run = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/releases", new { day = Yesterday.ToString("yyyy-MM-dd") });
        var made = await ApiCalls.ReadObjectAsync(run);
        Assert.Equal(202, (int)run.StatusCode);
        Assert.Equal(1.0m, (decimal)made["epsilon"]!);

        var list = JsonNode.Parse(await admin.GetStringAsync("/api/v1/admin/data-sharing/releases"))!["items"]!.AsArray();
        var item = Assert.Single(list)!;
        Assert.Equal(Yesterday.ToString("yyyy-MM-dd"), (string)item["day"]!);
        Assert.Equal("dp-alpha/" + Yesterday.ToString("yyyy-MM-dd") + "/rows.jsonl", (string)item["blob"]!);
        var rows = await admin.GetStringAsync((string)item["download_url"]!);
        Assert.Contains("\"site\":\"example.co.uk\"", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("lonely-site.org", rows, StringComparison.Ordinal);
        Assert.All(users, u => Assert.DoesNotContain(u.Value, rows, StringComparison.Ordinal));
        Assert.Equal((int)item["rows"]!, rows.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // The day's raw events are gone; the contributors' count went up by one.
        Assert.Empty(await events.ListDayAsync(Alpha, Yesterday, default));
        var (userClient, _) = await UserAsync();
        Assert.Equal(0, (int)JsonNode.Parse(await userClient.GetStringAsync("/api/v1/data-sharing/me"))!["releases_contributed"]!);
        var summary = await _factory.Services.GetRequiredService<GetDataSharingSummary>().HandleAsync(Alpha, users[0], default);
        Assert.Equal(new DataSharingSummary(true, 50, 1), summary);

        using var again = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/releases", new { day = Yesterday.ToString("yyyy-MM-dd") });
        Assert.Equal(409, (int)again.StatusCode);
        Assert.Equal(PrivacyLedger.ReleaseExistsCode, (string)(await ApiCalls.ReadObjectAsync(again))["code"]!);
        Assert.Single(JsonNode.Parse(await admin.GetStringAsync("/api/v1/admin/data-sharing/releases"))!["items"]!.AsArray());
        Assert.Equal(rows, await admin.GetStringAsync((string)item["download_url"]!));

        // The release is sold: 10,000 cents among 200 contributors at 50 % → floor(10,000 × 50 / 20,000) = 25 each.
        var sale = new { day = Yesterday.ToString("yyyy-MM-dd"), amount_cents = 10_000, currency = "USD", reference = "inv-42" };
        using var sold = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/sales", sale);
        var report = await ApiCalls.ReadObjectAsync(sold);
        Assert.Equal(201, (int)sold.StatusCode);
        Assert.Equal((200, 200, 5_000L, false), ((int)report["contributors"]!, (int)report["credited"]!, (long)report["credited_cents"]!, (bool)report["repeated"]!));
        using var soldAgain = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/sales", sale);
        Assert.Equal(200, (int)soldAgain.StatusCode);
        Assert.True((bool)(await ApiCalls.ReadObjectAsync(soldAgain))["repeated"]!);
        var wallets = _factory.Services.GetRequiredService<Shared.Domain.Wallets.WalletService>();
        Assert.Equal(25, (await wallets.GetBalanceAsync(new Shared.Domain.Wallets.WalletKey(Alpha, users[0], Shared.Domain.Wallets.WalletKind.Money), default)).Balance);

        using var reused = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/sales", sale with { amount_cents = 1 });
        Assert.Equal(409, (int)reused.StatusCode);
        Assert.Equal("sale_reference_reused", (string)(await ApiCalls.ReadObjectAsync(reused))["code"]!);
        using var wrongCurrency = await admin.PostAsJsonAsync("/api/v1/admin/data-sharing/sales", sale with { currency = "EUR", reference = "inv-43" });
        Assert.Equal(400, (int)wrongCurrency.StatusCode);
    }

    [Fact]
    public async Task Opting_out_over_http_purges_the_callers_stored_events_at_once()
    {
        var (client, userId) = await UserAsync();
        await OptInAsync(client, true);
        using (var response = await PostEventsAsync(client, Event("example.com", "visit", Now.AddMinutes(-5))))
        {
            Assert.Equal(202, (int)response.StatusCode);
        }

        Assert.Single(await StoredTodayAsync(), e => e.UserId.Value == userId);
        await OptInAsync(client, false);
        Assert.Empty(await StoredTodayAsync());
    }

    [Theory]
    [InlineData("""{"day":"yesterday"}""", 400)]
    [InlineData("""{}""", 400)]
    [InlineData("""{"day":"{today}"}""", 400)]
    public async Task A_run_for_a_day_that_is_not_a_past_utc_day_is_refused_and_spends_nothing(string template, int status)
    {
        var admin = await AdminAsync();
        var body = template.Replace("{today}", DateOnly.FromDateTime(Now.UtcDateTime).ToString("yyyy-MM-dd"), StringComparison.Ordinal);
        using var response = await admin.PostAsync("/api/v1/admin/data-sharing/releases", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await _factory.Services.GetRequiredService<IDataSharingReleaseStore>().ListAsync(Alpha, default));
    }

    [Theory]
    [InlineData("2026-11-22/rows.jsonl")]
    [InlineData("2026-11-22/secrets.txt")]
    [InlineData("not-a-day/manifest.json")]
    public async Task Downloading_a_file_of_no_release_is_404(string path)
    {
        var admin = await AdminAsync();
        using var response = await admin.GetAsync("/api/v1/admin/data-sharing/releases/" + path);
        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task The_users_summary_says_opt_in_split_count_and_the_rule()
    {
        var (client, _) = await UserAsync();
        await OptInAsync(client, true, 100);
        var me = JsonNode.Parse(await client.GetStringAsync("/api/v1/data-sharing/me"))!;
        Assert.True((bool)me["opt_in"]!);
        Assert.Equal(100, (int)me["profit_split"]!);
        Assert.Equal(0, (int)me["releases_contributed"]!);
        Assert.Contains("profit_split %", (string)me["profit_split_rule"]!, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();

    private static object Event(string site, string kind, DateTimeOffset at) => new { site, kind, at };

    private static Task<HttpResponseMessage> PostEventsAsync(HttpClient client, params object[] events) =>
        client.PostAsJsonAsync("/api/v1/data-sharing/events", new { events });

    private static async Task OptInAsync(HttpClient client, bool optIn, int split = 50)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/data-sharing/opt-in", new { opt_in = optIn, profit_split = split });
        Assert.Equal(200, (int)response.StatusCode);
    }

    private async Task<IReadOnlyList<DataSharingEvent>> StoredTodayAsync() =>
        await _factory.Services.GetRequiredService<IDataSharingEventStore>().ListDayAsync(Alpha, DateOnly.FromDateTime(Now.UtcDateTime), default);

    private async Task<(HttpClient Client, string UserId)> UserAsync()
    {
        var client = _factory.Tenant(TestTenants.Alpha);
        var answer = await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)answer["access_token"]!);
        return (client, (string)answer["user_id"]!);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var (client, userId) = await UserAsync();
        await _factory.Services.GetRequiredService<IUserRoleStore>().GrantAsync(Alpha, UserId.Parse(userId), Role.Admin, _factory.Clock.GetUtcNow(), default); // admin endpoints check the stored role
        var token = await _factory.Services.GetRequiredService<JwtAccessTokens>().IssueAsync(Alpha, UserId.Parse(userId), Role.Admin, default);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return client;
    }
}
