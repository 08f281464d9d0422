using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Both apps are Azure Functions custom handlers: the Functions host tells them which port to listen on in
/// FUNCTIONS_CUSTOMHANDLER_PORT. Run on their own (./run.sh, benchmarks) they listen on Http:Port, loopback only.
/// </summary>
public static class CustomHandlerHosting
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool IsUnderFunctionsHost(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[PortVariable]);

    public static int ListenPort(IConfiguration configuration, int defaultPort)
    {
        var raw = configuration[PortVariable] ?? configuration["Http:Port"];
        if (raw is null)
        {
            return defaultPort;
        }

        return int.TryParse(raw, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"'{raw}' is not a valid port.");
    }

    public static WebApplicationBuilder ListenAsCustomHandler(this WebApplicationBuilder builder, int defaultPort, long maxRequestBodyBytes)
    {
        var port = ListenPort(builder.Configuration, defaultPort);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        return builder;
    }
}
