using Shared.Infrastructure.Hosting;

namespace Functions.Workers;

/// <summary>
/// The Service Bus and timer function app, run by the Functions host as a custom handler: the host POSTs each
/// invocation to /{FunctionName}. It shares the store with the API app; its functions arrive with the job queue.
/// </summary>
public static class WorkersApp
{
    public const int DefaultPort = 7072;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenAsCustomHandler(DefaultPort, maxRequestBodyBytes: 1024 * 1024);
        builder.Services.AddBackend(builder.Configuration, builder.Environment);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/api/health", async (IStoreLifecycle store, CancellationToken ct) =>
            await store.IsHealthyAsync(ct) ? Results.Ok(new { status = "ok" }) : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}
