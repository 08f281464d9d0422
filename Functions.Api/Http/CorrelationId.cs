namespace Functions.Api.Http;

/// <summary>
/// Every request gets a correlation id: the caller's <c>X-Correlation-ID</c> when it is sane (1–64 visible ASCII
/// characters), else the request's trace id. It is echoed in the response and put in every log scope of the request.
/// </summary>
public sealed class CorrelationId(RequestDelegate next, ILogger<CorrelationId> logger)
{
    public const string Header = "X-Correlation-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var id = supplied.Length is > 0 and <= 64 && supplied.All(c => c is > ' ' and < (char)127) ? supplied : context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        Shared.Infrastructure.Diagnostics.Telemetry.Tag("correlation.id", id);
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
