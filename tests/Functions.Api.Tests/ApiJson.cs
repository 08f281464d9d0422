using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>JSON calls the API scenarios share.</summary>
public static class ApiJson
{
    /// <summary>GETs <paramref name="path"/>, asserts a 200 (naming the answer when not) and returns its JSON object.</summary>
    public static async Task<JsonObject> GetOkAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var json = await ApiCalls.ReadObjectAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {json}");
        return json;
    }
}
