using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Accounts' endpoints as a client calls them.</summary>
public static class AccountCalls
{
    public static string NewEmail() => $"u-{Guid.NewGuid():N}@example.com";

    public static string NewPhone() => $"+9198{Random.Shared.Next(10_000_000, 99_999_999)}";

    public const string Password = "violet-harbour-47-lantern";

    public static async Task<(int Status, JsonObject Body)> PostAsync(this HttpClient client, string path, object? body, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await ApiCalls.ReadObjectAsync(response));
    }

    public static async Task<JsonObject> OkAsync(this HttpClient client, string path, object body, int expected = 200, string? bearer = null)
    {
        var (status, answer) = await client.PostAsync(path, body, bearer);
        Assert.True(status == expected, $"{path} answered {status}: {answer.ToJsonString()}");
        return answer;
    }

    /// <summary>The latest outbox messages to <paramref name="to"/> (GET /api/dev/outbox).</summary>
    public static async Task<JsonArray> OutboxAsync(this HttpClient client, string to)
    {
        var answer = JsonNode.Parse(await client.GetStringAsync($"/api/dev/outbox?to={Uri.EscapeDataString(to)}"))!;
        return answer["items"]!.AsArray();
    }

    public static async Task<string> LatestCodeAsync(this HttpClient client, string to)
    {
        var items = await client.OutboxAsync(to);
        Assert.NotEmpty(items);
        return (string)items[0]!["code"]!;
    }

    /// <summary>Signs up, proves the email with the mailed code and logs in; answers the login's tokens.</summary>
    public static async Task<JsonObject> VerifiedLoginAsync(this HttpClient client, string email)
    {
        await client.OkAsync("/api/v1/auth/signup", new { email, password = Password }, 201);
        await client.OkAsync("/api/v1/auth/verify-email", new { email, code = await client.LatestCodeAsync(email), password = Password });
        return await client.OkAsync("/api/v1/auth/login", new { email, password = Password });
    }
}
