using System.Net;
using Functions.Api.Accounts;
using Functions.Api.Admin;
using Functions.Api.Ai;
using Functions.Api.Auth;
using Functions.Api.Billing;
using Functions.Api.Campaigns;
using Functions.Api.DataSharing;
using Functions.Api.Features;
using Functions.Api.Http;
using Functions.Api.Identify;
using Functions.Api.Invoices;
using Functions.Api.Marketplace;
using Functions.Api.Me;
using Functions.Api.Notifications;
using Functions.Api.Wallets;
using Microsoft.AspNetCore.HttpOverrides;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Json;

namespace Functions.Api;

/// <summary>The HTTP function app: an ASP.NET Core server that the Functions host forwards requests to.</summary>
public static class ApiApp
{
    public const int DefaultPort = 7071;
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ListenAsCustomHandler(DefaultPort, MaxRequestBodyBytes);
        builder.Services.AddBackend(builder.Configuration, builder.Environment);
        builder.Services.AddBackendTelemetry(builder.Configuration, builder.Environment, "serverless-api");

        builder.Services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.AddCode);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAccessTokenAuthentication();
        if (DevIdentityProvider.IsAvailableIn(builder.Environment))
        {
            builder.Services.AddSingleton<DevIdentityProvider>();
        }

        builder.Services.AddOpenApi("v1");
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(builder.Configuration.GetSection("RateLimits:Requests").Get<RequestRateLimitOptions>() ?? new RequestRateLimitOptions());
        builder.Services.AddSingleton<RequestRateLimiter>();
        builder.Services.AddSingleton<TenantResolver>();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Under the Functions host the request arrives from the host on loopback; the client's address is the
            // last X-Forwarded-For entry, appended by Azure's front end.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            o.KnownProxies.Add(IPAddress.Loopback);
            o.KnownProxies.Add(IPAddress.IPv6Loopback);
        });

        var app = builder.Build();
        if (CustomHandlerHosting.IsUnderFunctionsHost(app.Configuration))
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<CorrelationId>();
        app.Use(SecurityHeaders.Apply);
        app.UseExceptionHandler();
        app.UseStoreReadinessGate(); // before anything that reads the store (CORS reads the tenant)
        app.UseMiddleware<TenantCors>();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        // Every endpoint declares its authorization: a policy (Auth/Policies.cs) or AllowAnonymous.
        app.MapOpenApi("/api/openapi/{documentName}.json").AllowWithoutStore().AllowAnonymous();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint("/api/openapi/v1.json", "v1");
            o.DocumentTitle = "Serverless backend API";
        });

        app.MapStoreHealth().AllowAnonymous()
            .WithName("Health").WithSummary("200 when the app and its store can serve; 503 store_not_ready (start-up check failed, detail names what) or store_unavailable.");
        app.MapGet("/api/health/live", Live).AllowWithoutStore().AllowAnonymous()
            .WithName("Liveness").WithSummary("200 while the process runs (no dependency checked).");

        // Every v1 endpoint may answer the tenant filter's problems (400 tenant_required/invalid_tenant, 404 tenant_not_found),
        // the rate limit's 429 and the store readiness gate's 503, besides the ones each endpoint declares.
        var v1 = app.MapGroup("/api/v1").AddEndpointFilter<TenantFilter>().AddEndpointFilter<RequestRateLimitFilter>();
        v1.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapIdentify();
        v1.MapBilling();
        v1.MapCheckout();
        v1.MapPricingPage();
        v1.MapFeatures();
        v1.MapMe();
        v1.MapAdmin();
        v1.MapMarketplace();
        v1.MapWallets();
        v1.MapAi();
        v1.MapInvoices();
        v1.MapCampaigns();
        v1.MapAccounts();
        v1.MapDataSharing();
        v1.MapNotifications();
        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(Shared.Infrastructure.Stripe.LocalPaymentSandbox)))
        {
            app.MapSandboxPages();
        }

        if (!app.Environment.IsProduction() && app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(Shared.Domain.Messaging.IOutbox)))
        {
            app.MapDevOutbox(); // the local outbox's messages; never in Production (the outbox adapter is refused there too)
        }

        if (DevIdentityProvider.IsAvailableIn(app.Environment))
        {
            app.MapDevIdentityProvider(); // a local stand-in for Google's issuer; Development only
        }

        return app;
    }

    /// <summary>200 while the process runs; nothing else is checked.</summary>
    private static IResult Live() => Results.Text("ok");
}
