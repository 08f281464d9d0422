using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Functions.Api.Tests;

/// <summary>
/// A stand-in for Application Insights' ingestion endpoint on 127.0.0.1: HTTPS (Azure.Core refuses to send a bearer
/// token over plain HTTP) with a certificate made here, <c>POST /v2.1/track</c> taking the exporter's envelopes
/// (newline-delimited JSON, gzip-compressed), answered as the service does. Records each envelope and the
/// Authorization header that came with it.
/// </summary>
public sealed class AzureMonitorIngestion : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AzureMonitorIngestion(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<(string? Authorization, JsonObject Envelope)> Received { get; } = new();

    public ConcurrentQueue<string> OtherRequests { get; } = new();

    public static async Task<AzureMonitorIngestion> StartAsync()
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var ingestion = new AzureMonitorIngestion(builder.Build(), certificate);
        ingestion._app.Run(ingestion.HandleAsync);
        await ingestion._app.StartAsync();
        var address = ingestion._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ingestion.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return ingestion;
    }

    /// <summary>An HTTP handler that trusts this server's certificate (and no other), for the exporter's transport.</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == Certificate.Thumbprint,
    };

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/v2.1/track")
        {
            OtherRequests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        using var reader = new StreamReader(body);
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0 && JsonNode.Parse(line) is JsonObject envelope)
            {
                Received.Enqueue((context.Request.Headers.Authorization.ToString(), envelope));
                count++;
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"itemsReceived\":{count},\"itemsAccepted\":{count},\"errors\":[]}}");
    }

    /// <summary>A certificate for 127.0.0.1 with fixed, wide validity: nothing here reads the clock.</summary>
    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
