using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using TestSupport;
using Xunit;

namespace Functions.Workers.Tests;

/// <summary>
/// Invocation bodies over the limit answer 413, whether the body declares its length or comes chunked. On the real
/// server (Kestrel on 127.0.0.1, with its MaxRequestBodySize) and on the in-memory one (the reader's own count).
/// </summary>
public sealed class OversizeInvocationTests : IAsyncLifetime
{
    private WebApplication? _app;
    private Uri? _base;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _app = WorkersApp.Build(
        [
            "--environment", "Testing",
            "--Store:Provider=Sqlite",
            $"--Sqlite:Path={Path.Combine(Path.GetTempPath(), $"workers-{Guid.NewGuid():N}", "w.db")}",
            $"--Tenants:File={TestTenants.WriteFile()}",
            "--LocalTriggers:Enabled=false",
            "--Telemetry:Exporter=None",
            $"--Http:Port={port}",
        ]);
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A payload of the host's shape, <paramref name="bytes"/> long: a Service Bus message whose body is padding.</summary>
    private static byte[] Payload(int bytes)
    {
        const string head = "{\"Data\":{\"message\":\"";
        const string tail = "\"},\"Metadata\":{\"DeliveryCount\":\"1\"}}";
        return Encoding.UTF8.GetBytes(head + new string('A', bytes - head.Length - tail.Length) + tail);
    }

    private async Task<(int Status, string Body)> PostAsync(string function, byte[] payload, bool chunked)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, function)
        {
            // A non-seekable stream, so HttpClient cannot learn the length by itself.
            Content = chunked ? new StreamContent(new NonSeekable(payload)) : new ByteArrayContent(payload),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = chunked;
        using var client = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(WorkerFunctions.GenerateFeatureStandard)]
    [InlineData(WorkerFunctions.QuotaResetSweep)]
    [InlineData("Health")]
    public async Task An_oversize_chunked_invocation_gets_413(string function)
    {
        var (status, body) = await PostAsync(function, Payload(WorkerFunctions.MaxInvocationBytes + 64 * 1024), chunked: true);

        Assert.Equal(413, status);
        Assert.Contains("over 1048576 bytes", (string)JsonNode.Parse(body)!["Logs"]![0]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WorkerFunctions.GenerateFeatureStandard)]
    [InlineData(WorkerFunctions.QuotaResetSweep)]
    [InlineData("Health")]
    public async Task An_invocation_whose_content_length_is_over_the_limit_gets_413(string function)
    {
        var (status, _) = await PostAsync(function, Payload(WorkerFunctions.MaxInvocationBytes + 1), chunked: false);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task A_large_invocation_under_the_limit_is_read_chunked_or_not()
    {
        // Under the limit and well-formed: read and answered for what it is (not a feature job: 400), not refused for its size.
        var payload = Payload(WorkerFunctions.MaxInvocationBytes - 1024);

        var (chunked, _) = await PostAsync(WorkerFunctions.GenerateFeatureStandard, payload, chunked: true);
        var (declared, _) = await PostAsync(WorkerFunctions.GenerateFeatureStandard, payload, chunked: false);

        Assert.Equal((400, 400), (chunked, declared));
    }

    [Fact]
    public async Task The_in_memory_server_refuses_an_oversize_chunked_invocation_too()
    {
        // The in-memory test server has no MaxRequestBodySize of its own: the reader's count alone must hold.
        using var host = new WorkersHost();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{WorkerFunctions.GenerateFeatureStandard}")
        {
            Content = new StreamContent(new NonSeekable(Payload(WorkerFunctions.MaxInvocationBytes + 1))),
        };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(413, (int)response.StatusCode);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
