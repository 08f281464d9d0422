namespace Functions.Api.Http;

/// <summary>
/// Headers every answer carries: no MIME sniffing, no framing, no referrer, and no caching of API answers (they carry
/// quotas and tokens). HSTS when the request came over HTTPS (behind Azure's front end, X-Forwarded-Proto says so).
/// Our own HTML pages add a strict Content-Security-Policy themselves; Swagger UI keeps its own scripts.
/// </summary>
public static class SecurityHeaders
{
    public static Task Apply(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!headers.ContainsKey("Cache-Control"))
            {
                headers.CacheControl = "no-store";
            }

            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>For the pricing and sandbox pages: nothing but their own inline styles, forms and links.</summary>
    public const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
}
