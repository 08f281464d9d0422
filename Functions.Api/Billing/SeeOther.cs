namespace Functions.Api.Billing;

/// <summary>303 See Other: after a GET or a form POST, the browser follows with a GET (TypedResults.Redirect gives 302).</summary>
public sealed class SeeOther(string url) : IResult, IStatusCodeHttpResult
{
    public string Url { get; } = url;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
