using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Usage;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>
/// Hundreds of validly signed but mutated Stripe events (wrong types, out-of-range numbers, missing objects, odd
/// currencies, huge strings, nulls, arrays for objects, unknown types, other API versions) posted to the webhook on
/// the embedded store. Seeded, so a failure can be replayed. For each: never a 5xx; a refused event (4xx) changes no
/// row of any table; an ignored or repeated one changes nothing but the remembered event id; an applied one leaves a
/// valid whole (the event remembered, and every user's plan the one their stored subscriptions give).
/// </summary>
public sealed class WebhookFuzzTests(SqliteApi api, ITestOutputHelper output) : IClassFixture<SqliteApi>
{
    private const int Seed = 20261123;
    private const int Events = 600;

    private static readonly string[] HostileStrings =
    [
        "", " ", "null", "US", "usdd", "€€€", "123", "\u0000", "\u202e", "evt_", "sub_", "cus_../../x", "cus_" + new string('a', 300),
        new string('x', 20_000), "2026-10-28.endive", "2024-06-20", "price_pro_m", "price_unl_m", "active", "past_due", "canceled",
        "subscription", "payment", "lifetime", "monthly", "01a200ec-790f-7686-a2c9-be91690ee801", "beta", "\"}", "{\"a\":1}",
    ];

    private static readonly JsonNode?[] HostileNumbers =
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue), JsonValue.Create(1e300),
        JsonValue.Create(0.5), JsonValue.Create(253_402_300_800L), JsonValue.Create(5_000_000_001L), JsonValue.Create(999_999_999_999_999L),
        JsonValue.Create(4_102_444_800L), JsonValue.Create(1_262_304_000L), JsonValue.Create(int.MaxValue), JsonNode.Parse("9223372036854775808"),
    ];

    [Fact]
    public async Task No_validly_signed_event_causes_a_server_error_or_half_applied_state()
    {
        var factory = api.Factory;
        using var client = factory.Tenant("alpha");
        var random = new Random(Seed);
        var now = factory.Clock.Now;
        var users = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            users.Add((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        }

        var customers = users.Select(_ => $"cus_{Guid.NewGuid():N}").ToList();
        var subscriptions = users.Select(_ => $"sub_{Guid.NewGuid():N}").ToList();
        for (var i = 0; i < users.Count; i++)
        {
            using var seeded = await client.DeliverAsync("alpha", StripeEventJson.CheckoutCompleted($"evt_{Guid.NewGuid():N}", now, users[i], "pro", "monthly", customers[i], subscriptions[i]), ApiFactory.WebhookSecret, now);
            Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        }

        await factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        for (var n = 0; n < Events; n++)
        {
            var who = random.Next(users.Count);
            var template = Template(random, now, users[who], customers[who], subscriptions[who], $"sub_{Guid.NewGuid():N}");
            var eventId = $"evt_fuzz_{n}";
            template["id"] = eventId;
            var mutation = n % 10 == 0 ? "none" : Mutate(template, random);
            var json = template.ToJsonString();
            var before = Snapshot();

            using var response = await client.DeliverAsync("alpha", json, ApiFactory.WebhookSecret, now);
            var body = await response.Content.ReadAsStringAsync();
            var after = Snapshot();
            var status = (int)response.StatusCode;
            var outcome = status == 200 ? (string)JsonNode.Parse(body)!["outcome"]! : $"{status} {(string?)JsonNode.Parse(body)?["code"]}";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;

            var changed = Changes(before, after, ignoreEvent: null);
            var changedBeyondTheEventId = Changes(before, after, ignoreEvent: eventId);
            string? problem = status switch
            {
                >= 500 => "server error",
                >= 400 when changed.Count > 0 => $"refused but changed {string.Join(", ", changed)}",
                200 when outcome is "ignored" or "duplicate" && changedBeyondTheEventId.Count > 0 => $"{outcome} but changed {string.Join(", ", changedBeyondTheEventId)}",
                200 when outcome == "applied" => await WholeAsync(eventId),
                200 or 400 or 409 or 413 => null,
                _ => "unexpected status",
            };
            if (problem is not null)
            {
                failures.Add($"#{n} [{mutation}] {status} {problem}: {Truncate(json)} → {Truncate(body)}");
            }
        }

        output.WriteLine($"{Events} signed events (seed {Seed}); outcomes: {string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key}: {o.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(outcomes.Keys.Any(k => k.StartsWith("400", StringComparison.Ordinal)) && outcomes.ContainsKey("applied"), "the mutations should reach both refusals and applied events");
    }

    /// <summary>A valid event of a random kind about one of the seeded users (or a new subscription of theirs).</summary>
    private static JsonObject Template(Random random, DateTimeOffset now, string user, string customer, string subscription, string otherSubscription)
    {
        var sub = random.Next(3) == 0 ? otherSubscription : subscription;
        var price = random.Next(2) == 0 ? "price_pro_m" : "price_unl_m";
        var json = random.Next(9) switch
        {
            0 => StripeEventJson.CheckoutCompleted("evt_x", now, user, random.Next(2) == 0 ? "pro" : "unlimited", "monthly", customer, sub),
            1 => StripeEventJson.Subscription("customer.subscription.created", "evt_x", now, user, customer, sub, "active", price, now, now.AddMonths(1)),
            2 => StripeEventJson.Subscription("customer.subscription.updated", "evt_x", now, random.Next(2) == 0 ? user : null, customer, sub, random.Next(2) == 0 ? "past_due" : "active", price, now, now.AddMonths(1), cancelAtPeriodEnd: random.Next(2) == 0),
            3 => StripeEventJson.Subscription("customer.subscription.deleted", "evt_x", now, user, customer, sub, "canceled", price, now, now.AddMonths(1)),
            4 => StripeEventJson.Invoice("invoice.paid", "evt_x", now, customer, sub, 999),
            5 => StripeEventJson.Invoice("invoice.payment_failed", "evt_x", now, customer, sub, 999),
            6 => StripeEventJson.ChargeRefunded("evt_x", now, $"ch_{Guid.NewGuid():N}", customer, 999, 500),
            7 => StripeEventJson.Event("evt_x", "checkout.session.completed", now, new { id = $"cs_{Guid.NewGuid():N}", @object = "checkout.session", mode = "payment", payment_status = "paid", customer, amount_total = 49900, currency = "usd", metadata = new Dictionary<string, string> { ["user_id"] = user, ["plan_id"] = "unlimited", ["billing_cycle"] = "lifetime" } }),
            _ => StripeEventJson.Event("evt_x", "customer.updated", now, new { id = customer, @object = "customer", email = "a@b.example" }),
        };
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>One random change somewhere in the event; answers what it did.</summary>
    private static string Mutate(JsonObject root, Random random)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots);
        var (parent, key) = slots[random.Next(slots.Count)];
        JsonNode? replacement;
        string what;
        switch (random.Next(10))
        {
            case 0:
                (replacement, what) = (null, "null");
                break;
            case 1:
                (replacement, what) = (new JsonArray(JsonValue.Create(1), JsonValue.Create("a")), "array");
                break;
            case 2:
                (replacement, what) = (new JsonObject { ["id"] = "x", ["object"] = "unknown" }, "object");
                break;
            case 3:
            case 4:
                var text = HostileStrings[random.Next(HostileStrings.Length)];
                (replacement, what) = (JsonValue.Create(text), $"string({text.Length})");
                break;
            case 5:
            case 6:
                replacement = HostileNumbers[random.Next(HostileNumbers.Length)]?.DeepClone();
                what = $"number({replacement?.ToJsonString()})";
                break;
            case 7:
                (replacement, what) = (JsonValue.Create(random.Next(2) == 0), "bool");
                break;
            case 8:
                if (parent is JsonObject removeFrom)
                {
                    removeFrom.Remove((string)key);
                    return $"removed {key}";
                }

                (replacement, what) = (null, "null");
                break;
            default:
                var metadata = new JsonObject();
                for (var i = 0; i < random.Next(40, 70); i++)
                {
                    metadata[$"k{i}"] = i % 7 == 0 ? new string('m', 600) : "v";
                }

                (replacement, what) = (metadata, "big metadata");
                break;
        }

        if (parent is JsonObject o)
        {
            o[(string)key] = replacement;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = replacement;
        }

        return $"{Path(parent, key)} := {what}";
    }

    private static void Collect(JsonNode node, List<(JsonNode Parent, object Key)> slots)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o.ToList())
            {
                slots.Add((o, name));
                if (child is not null)
                {
                    Collect(child, slots);
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                slots.Add((a, i));
                if (a[i] is { } child)
                {
                    Collect(child, slots);
                }
            }
        }
    }

    private static string Path(JsonNode parent, object key) => $"{parent.GetPath()}.{key}";

    /// <summary>After an applied event: it is remembered, and every user's quota plan is the plan their subscriptions give.</summary>
    private async Task<string?> WholeAsync(string eventId)
    {
        var services = api.Factory.Services;
        var billing = services.GetRequiredService<IBillingStore>();
        var tenant = (await services.GetRequiredService<ITenantDirectory>().FindAsync(TenantId.Parse("alpha"), default))!;
        if (!await billing.IsEventHandledAsync(tenant.Id, eventId, default))
        {
            return "applied but not remembered";
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT user_id FROM subscriptions WHERE tenant_id = 'alpha'";
        using var reader = command.ExecuteReader();
        var quotas = services.GetRequiredService<IQuotaStore>();
        while (reader.Read())
        {
            var user = UserId.Parse(reader.GetString(0));
            var best = PlanSelection.Best(tenant, await billing.ListSubscriptionsAsync(tenant.Id, user, default));
            if (await quotas.GetAsync(tenant.Id, user, default) is { } account && account.PlanId != best.Plan.Id)
            {
                return $"user {user} is on {account.PlanId} but their subscriptions give {best.Plan.Id}";
            }
        }

        return null;
    }

    /// <summary>Every row of every table, as text (a new table is covered without touching this test).</summary>
    private Dictionary<string, HashSet<string>> Snapshot()
    {
        using var connection = Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("subscriptions", tables);
        var snapshot = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            var rows = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(JsonSerializer.Serialize(values));
            }

            snapshot[table] = rows;
        }

        return snapshot;
    }

    private static List<string> Changes(Dictionary<string, HashSet<string>> before, Dictionary<string, HashSet<string>> after, string? ignoreEvent) =>
        [.. after.Keys.Union(before.Keys).Where(table =>
        {
            var was = before.GetValueOrDefault(table) ?? [];
            var now = (after.GetValueOrDefault(table) ?? []).Where(row => ignoreEvent is null || table != "webhook_events" || !row.Contains($"\"{ignoreEvent}\"", StringComparison.Ordinal)).ToHashSet();
            return !was.SetEquals(now);
        })];

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={api.Factory.SqlitePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
