using Functions.Workers.Local;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;

namespace Functions.Workers;

/// <summary>
/// The Service Bus and timer function app, run by the Functions host as a custom handler: the host POSTs each
/// invocation to /{FunctionName} (see <see cref="WorkerFunctions"/>). Run on its own with the embedded queue
/// (./run.sh), it drives those same endpoints with its local trigger loop.
/// </summary>
public static class WorkersApp
{
    public const int DefaultPort = 7072;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenAsCustomHandler(DefaultPort, maxRequestBodyBytes: WorkerFunctions.MaxInvocationBytes);
        builder.Services.AddBackend(builder.Configuration, builder.Environment);
        builder.Services.AddBackendTelemetry(builder.Configuration, builder.Environment, "serverless-workers");
        builder.Services.AddProblemDetails();
        // A request the server itself found bad (a body over MaxRequestBodySize, a broken chunk, a read timeout) keeps
        // its 4xx wherever it surfaces; the invocation reader answers 413 itself, this is the net under everything else.
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ExceptionHandlerOptions>(o =>
            o.StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        var local = builder.Configuration.GetSection("LocalTriggers").Get<LocalTriggerOptions>() ?? new LocalTriggerOptions();
        var embeddedQueue = builder.Services.Any(s => s.ServiceType == typeof(IJobReceiver));
        if (local.Enabled ?? (embeddedQueue && !CustomHandlerHosting.IsUnderFunctionsHost(builder.Configuration)))
        {
            if (!embeddedQueue)
            {
                throw new InvalidOperationException("LocalTriggers:Enabled needs the embedded queue (Queue:Provider=Embedded); with Service Bus the Functions host triggers the functions.");
            }

            var port = CustomHandlerHosting.ListenPort(builder.Configuration, DefaultPort);
            builder.Services.AddSingleton(local);
            builder.Services.AddSingleton<IReadOnlyList<FunctionDefinition>>(FunctionCatalog.Load(AppContext.BaseDirectory));
            builder.Services.AddHttpClient<LocalFunctionClient>(c =>
            {
                c.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
                c.Timeout = TimeSpan.FromSeconds(local.LeaseSeconds);
            });
            builder.Services.AddSingleton<LocalTriggerLoop>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalTriggerLoop>());
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStoreReadinessGate(); // invocations answer 503 until the store is ready (the host retries them)
        app.UseStatusCodePages();
        app.MapStoreHealth(); // for local runs; under the Functions host, through the HealthFunction
        app.MapHealthFunction();
        app.MapWorkerFunctions();
        app.MapCampaignFunctions();
        return app;
    }
}
