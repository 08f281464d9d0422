using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Shared.Infrastructure.Hosting;

namespace Functions.Api.Http;

/// <summary>
/// Unexpected exceptions: a bad request the framework detected keeps its 4xx, a transient store failure becomes 503
/// with Retry-After, anything else a 500 without internals. All are logged.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string code;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            code = Problems.DefaultCode(status);
            logger.LogInformation("Bad request: {Message}", bad.Message);
        }
        else if (BackendServices.IsTransientStoreFailure(exception))
        {
            status = StatusCodes.Status503ServiceUnavailable;
            code = "temporarily_unavailable";
            httpContext.Response.Headers.RetryAfter = "1";
            logger.LogWarning(exception, "Transient store failure");
        }
        else if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("Client went away");
            return true;
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            code = "internal_error";
            logger.LogError(exception, "Unhandled exception");
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Extensions = { ["code"] = code } },
        });
    }
}
