using System.Net;
using Polly;
using Polly.Retry;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// The one retry policy for outbound REST calls (Stripe, Service Bus): 429, 5xx and network faults, exponential
/// backoff with jitter, honouring a short Retry-After. Callers make retried POSTs safe with idempotency keys or ids.
/// </summary>
public static class TransientHttpRetry
{
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddTransientHttpRetry(this ResiliencePipelineBuilder<HttpResponseMessage> builder, int maxRetries, TimeSpan firstDelay) =>
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = maxRetries,
            Delay = firstDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .Handle<Polly.Timeout.TimeoutRejectedException>()
                .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
        });

    private static TimeSpan? RetryAfter(HttpResponseMessage? response) =>
        response?.Headers.RetryAfter?.Delta is { } delta && delta <= TimeSpan.FromSeconds(30) ? delta : null;
}
