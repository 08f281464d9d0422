using System.Text.Json.Nodes;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>
/// Every API operation declares the problem responses it can answer, as application/problem+json, so a client generated
/// from the OpenAPI document knows them; a few operations' contract codes are checked by status.
/// </summary>
public sealed class DeclaredProblemsTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Every_v1_operation_declares_problem_responses_for_the_tenant_filter_and_its_own_failures()
    {
        using var client = api.Factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/api/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key.ToUpperInvariant()} {p.Key}", Responses: o.Value!["responses"]!.AsObject())))
            .ToList();

        Assert.NotEmpty(operations);
        foreach (var (name, responses) in operations)
        {
            foreach (var status in new[] { "400", "404", "429", "503" })
            {
                Assert.True(responses.ContainsKey(status), $"{name} does not declare {status}.");
                Assert.True(responses[status]!["content"]?["application/problem+json"] is not null, $"{name}'s {status} is not a problem response.");
            }
        }

        Assert.Equal(["400", "401", "404", "409", "413", "415", "429", "503"], ProblemStatuses(document, "/api/v1/features/requests", "post"));
        Assert.Contains("409", ProblemStatuses(document, "/api/v1/subscriptions/checkout", "post"));
        Assert.Contains("409", ProblemStatuses(document, "/api/v1/subscriptions/cancel", "post"));
        Assert.Contains("409", ProblemStatuses(document, "/api/v1/webhooks/stripe/{tenant_id}", "post"));
        Assert.Contains("401", ProblemStatuses(document, "/api/v1/users/{user_id}/quota", "get"));
    }

    private static string[] ProblemStatuses(JsonNode document, string path, string method) =>
        [.. document["paths"]![path]![method]!["responses"]!.AsObject()
            .Where(r => r.Value!["content"]?["application/problem+json"] is not null)
            .Select(r => r.Key)
            .Order(StringComparer.Ordinal)];
}
