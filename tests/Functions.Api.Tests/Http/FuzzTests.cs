using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Usage;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

/// <summary>
/// Every operation in the OpenAPI document, hit with malformed, oversize, wrong-type and random-byte bodies, random
/// path values and hostile headers: never a 5xx, and nothing stored. Seeded, so a failure can be replayed.
/// </summary>
public sealed class FuzzTests(SqliteApi api, ITestOutputHelper output) : IClassFixture<SqliteApi>
{
    private const int Seed = 20261122;
    private const int RequestsPerOperation = 150;

    [Fact]
    public async Task No_malformed_request_to_any_operation_causes_a_server_error_or_stores_anything()
    {
        using var client = api.Factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/api/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key.ToUpperInvariant())))
            .Where(o => o.Method is "GET" or "POST")
            .ToList();
        var random = new Random(Seed);
        var before = CountRows();
        var sent = 0;
        var failures = new List<string>();

        foreach (var (path, method) in operations)
        {
            for (var i = 0; i < RequestsPerOperation; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), FillPath(path, random));
                AddHeaders(request, random);
                if (method == "POST")
                {
                    request.Content = Body(random);
                }

                using var response = await client.SendAsync(request);
                sent++;
                if ((int)response.StatusCode >= 500 && !IsDeclared503(response))
                {
                    failures.Add($"{method} {request.RequestUri} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        output.WriteLine($"fuzz: {operations.Count} operations, {sent} requests, {failures.Count} server errors (seed {Seed})");
        Assert.Empty(failures);
        Assert.Equal(before, CountRows());
    }

    /// <summary>503 with a code is a declared answer (e.g. a tenant whose webhook secret is not configured), not a crash.</summary>
    private static bool IsDeclared503(HttpResponseMessage response) =>
        (int)response.StatusCode == 503 && response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    private static string FillPath(string template, Random random)
    {
        var path = template;
        while (path.Contains('{', StringComparison.Ordinal))
        {
            var start = path.IndexOf('{', StringComparison.Ordinal);
            var end = path.IndexOf('}', start);
            // NUL in a path is refused by Kestrel with a 400 before the app runs; the in-memory test server throws instead.
            path = path[..start] + Uri.EscapeDataString(Hostile(random).Replace("\u0000", "", StringComparison.Ordinal).Replace("%00", "", StringComparison.Ordinal)) + path[(end + 1)..];
        }

        var query = random.Next(3) switch
        {
            0 => "",
            1 => $"?user_id={Uri.EscapeDataString(Hostile(random))}&cycle={Uri.EscapeDataString(Hostile(random))}&tenant={Uri.EscapeDataString(Hostile(random))}",
            _ => "?tenant=alpha&user_id=01a200ec-790f-7686-a2c9-be91690ee801&cycle=weekly",
        };
        return path + query;
    }

    private static void AddHeaders(HttpRequestMessage request, Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("X-Tenant-ID", "alpha");
                break;
            default:
                request.Headers.TryAddWithoutValidation("X-Tenant-ID", Hostile(random));
                break;
        }

        if (random.Next(3) == 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", random.Next(2) == 0 ? "Bearer " + Hostile(random) : Hostile(random));
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", Hostile(random));
        }
    }

    private static ByteArrayContent Body(Random random)
    {
        byte[] bytes = random.Next(8) switch
        {
            0 => RandomBytes(random, random.Next(0, 2048)),
            1 => Encoding.UTF8.GetBytes("{\"extension_id\":" + new string('[', random.Next(1, 300))),
            2 => Encoding.UTF8.GetBytes($$"""{"extension_id":{{WrongType(random)}},"email":{{WrongType(random)}},"user_id":{{WrongType(random)}},"plan_id":{{WrongType(random)}},"billing_cycle":{{WrongType(random)}},"request_id":{{WrongType(random)}}}"""),
            3 => Encoding.UTF8.GetBytes($$"""{"extension_id":"{{new string('x', random.Next(129, 40_000))}}"}"""),
            4 => Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":\"yesterday\",\"data\":" + WrongType(random) + "}"),
            5 => Encoding.UTF8.GetBytes($$"""{"user_id":"{{Hostile(random)}}","plan_id":"{{Hostile(random)}}","billing_cycle":"{{Hostile(random)}}","success_url":"{{Hostile(random)}}"}"""),
            6 => RandomBytes(random, 300_000),
            _ => Encoding.UTF8.GetBytes($$"""{"extension_id":"ok","email":"{{Hostile(random)}}@","action_type":"{{Hostile(random)}}"}"""),
        };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = random.Next(5) == 0 ? new MediaTypeHeaderValue("text/plain") : new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string WrongType(Random random) => random.Next(7) switch
    {
        0 => "12345",
        1 => "true",
        2 => "null",
        3 => "[1,2,3]",
        4 => "{\"nested\":{\"deeper\":[{}]}}",
        5 => "1e400",
        _ => "-0.5",
    };

    private static string Hostile(Random random) => random.Next(9) switch
    {
        0 => "",
        1 => new string('a', random.Next(41, 3000)),
        2 => "../../etc/passwd",
        3 => "' OR 1=1 --",
        4 => "\u0000\u0001\u001f",
        5 => "%00%ff",
        6 => "日本語テキスト",
        7 => "<script>alert(1)</script>",
        _ => Convert.ToBase64String(RandomBytes(random, random.Next(1, 64))),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Rows per table, for every table of the store (a new table is covered without touching this test).</summary>
    private string CountRows()
    {
        api.Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default).GetAwaiter().GetResult();
        using var connection = new SqliteConnection($"Data Source={api.Factory.SqlitePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
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

        Assert.Contains("feature_requests", tables);
        return string.Join(", ", tables.Select(table =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return $"{table}={(long)command.ExecuteScalar()!}";
        }));
    }
}
