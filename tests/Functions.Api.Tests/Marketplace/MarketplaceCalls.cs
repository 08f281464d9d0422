using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Functions.Api.Tests.Marketplace;

/// <summary>Marketplace calls the API tests (and the authorization matrix) share.</summary>
public static class MarketplaceCalls
{
    public const string ItemJson = """{"title":"Grammar helper","description":"Fixes text","kind":"feature","categories":["writing"],"price_cents":0,"currency":"USD"}""";

    public static async Task<(int Status, JsonNode? Body, string Text, string? ContentType)> SendAsync(HttpClient client, HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }
        }

        return ((int)response.StatusCode, body, text, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Creates an item as <paramref name="creatorToken"/> and, when <paramref name="adminToken"/> is given, verifies it: its id.</summary>
    public static async Task<string> PublishAsync(HttpClient client, string creatorToken, string? adminToken, string json = ItemJson)
    {
        var created = await SendAsync(client, HttpMethod.Post, "/api/v1/marketplace/items", creatorToken, json);
        Assert.True(created.Status == 201, created.Text);
        var id = (string)created.Body!["id"]!;
        if (adminToken is not null)
        {
            var verified = await SendAsync(client, HttpMethod.Post, $"/api/v1/admin/marketplace/items/{id}/verify", adminToken);
            Assert.True(verified.Status == 200, verified.Text);
        }

        return id;
    }
}
