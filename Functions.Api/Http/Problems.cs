using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;

namespace Functions.Api.Http;

/// <summary>The one place where expected failures become RFC 9457 problem responses with a stable <c>code</c>.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.PaymentRequired => StatusCodes.Status402PaymentRequired,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult From(Error error)
    {
        var status = StatusOf(error.Kind);
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Fields is { Count: > 0 } fields)
        {
            extensions["errors"] = fields;
        }

        return TypedResults.Problem(detail: error.Detail, statusCode: status, title: TitleOf(status), extensions: extensions);
    }

    /// <summary>
    /// The one result-to-HTTP mapping every endpoint uses: a success becomes <paramref name="ok"/>'s response, an
    /// <see cref="Error"/> the problem response of its kind with its stable <c>code</c>.
    /// </summary>
    public static Results<TOk, ProblemHttpResult> Map<T, TOk>(Result<T> result, Func<T, TOk> ok)
        where TOk : IResult
    {
        ArgumentNullException.ThrowIfNull(ok);
        return result.IsSuccess ? ok(result.Value) : From(result.Error!);
    }

    /// <summary>
    /// True when <paramref name="result"/> is a failure, with its problem answer: the early return an endpoint makes
    /// after reading its body (<c>if (Problems.Failed(body, out var unreadable)) return unreadable;</c>).
    /// </summary>
    public static bool Failed<T>(Result<T> result, [NotNullWhen(true)] out ProblemHttpResult? problem)
    {
        problem = result.IsSuccess ? null : From(result.Error!);
        return problem is not null;
    }

    public static string DefaultCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status408RequestTimeout => "request_timeout",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "too_many_requests",
        StatusCodes.Status503ServiceUnavailable => "temporarily_unavailable",
        >= 500 => "internal_error",
        _ => "error",
    };

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad Request",
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status402PaymentRequired => "Payment Required",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "Not Found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "Payload Too Large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported Media Type",
        StatusCodes.Status429TooManyRequests => "Too Many Requests",
        StatusCodes.Status503ServiceUnavailable => "Service Unavailable",
        _ => "Error",
    };

    /// <summary>Gives every problem the framework writes (404 routes, 405, 500) a <c>code</c> as well.</summary>
    public static void AddCode(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        context.ProblemDetails.Extensions.TryAdd("code", DefaultCode(status));
        context.ProblemDetails.Extensions.TryAdd("trace_id", context.HttpContext.TraceIdentifier);
    }
}
