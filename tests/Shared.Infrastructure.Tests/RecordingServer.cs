using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shared.Infrastructure.Tests;

public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A local HTTP server on 127.0.0.1 that records every request and answers from a script (status, JSON body,
/// optional Retry-After); unscripted requests get <see cref="DefaultStatus"/>. For testing REST clients.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingServer(WebApplication app, int defaultStatus)
    {
        _app = app;
        DefaultStatus = defaultStatus;
    }

    public ConcurrentQueue<(int Status, string Body, string? RetryAfter)> Script { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public int DefaultStatus { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<RecordingServer> StartAsync(int defaultStatus)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RecordingServer(builder.Build(), defaultStatus);
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.BaseAddress = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync()));
        var (status, body, retryAfter) = Script.TryDequeue(out var next) ? next : (DefaultStatus, "{}", null);
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
