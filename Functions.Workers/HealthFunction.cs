using System.Globalization;
using System.Text.Json;
using Functions.Workers.Invocation;
using Microsoft.AspNetCore.Mvc;
using Shared.Infrastructure.Hosting;

namespace Functions.Workers;

/// <summary>
/// The workers' health as an HTTP function (functions/Health/function.json, GET /api/health), so it is reachable
/// through the Functions host, which exposes only declared functions. This app does not forward HTTP requests, so the
/// host POSTs an invocation to /Health with the request in <c>Data.req</c> and expects the answer in
/// <c>Outputs.res</c>; the invocation itself succeeds (200) whatever the health is, because a failed invocation would
/// reach the caller as a bare 500 instead of the 503 problem with its detail.
/// </summary>
public static class HealthFunction
{
    public const string Name = "Health";
    public const string RequestBinding = "req";
    public const string ResponseBinding = "res";

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    public static void MapHealthFunction(this IEndpointRouteBuilder app) =>
        app.MapPost($"/{Name}", InvokeAsync).AllowWithoutStore();

    private static async Task<IResult> InvokeAsync(HttpContext http, StoreHealth health, CancellationToken cancellationToken)
    {
        var (invocation, tooLarge) = await InvocationReader.ReadAsync(http, cancellationToken);
        if (tooLarge)
        {
            return InvocationReader.TooLarge();
        }

        if (invocation is null || HttpTriggerRequest.From(invocation, RequestBinding) is not { } request)
        {
            return Results.Json(InvocationResponse.WithLogs($"The invocation payload holds no HTTP request in Data.{RequestBinding}."), statusCode: StatusCodes.Status400BadRequest);
        }

        HttpOutput output;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            output = Problem(new StoreHealthReport(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", $"{request.Method} is not allowed here; use GET.", null));
        }
        else
        {
            var report = await health.CheckAsync(cancellationToken);
            output = report.IsHealthy
                ? new HttpOutput("200", JsonSerializer.Serialize(new { status = "ok" }, BodyJson), new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Cache-Control"] = "no-store" })
                : Problem(report);
        }

        return Results.Json(new InvocationResponse(new Dictionary<string, object?> { [ResponseBinding] = output }, [$"health: {output.StatusCode}"], null));
    }

    private static HttpOutput Problem(StoreHealthReport report)
    {
        var problem = new ProblemDetails
        {
            Status = report.StatusCode,
            Title = report.StatusCode == StatusCodes.Status503ServiceUnavailable ? "Service Unavailable" : "Method Not Allowed",
            Detail = report.Detail,
            Extensions = { ["code"] = report.Code },
        };
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/problem+json", ["Cache-Control"] = "no-store" };
        if (report.RetryAfter is { } retryAfter)
        {
            headers["Retry-After"] = StoreHealthEndpoints.Seconds(retryAfter);
        }

        return new HttpOutput(report.StatusCode.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(problem, BodyJson), headers);
    }
}
