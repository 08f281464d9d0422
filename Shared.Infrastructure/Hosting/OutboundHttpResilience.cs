using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// Outbound REST resilience through Microsoft.Extensions.Http.Resilience (Polly) as an <c>HttpClient</c> handler, on
/// the injected <see cref="TimeProvider"/> (so tests move a clock instead of waiting): retries with exponential backoff
/// and jitter honouring Retry-After for 408, 429, 5xx, network faults and attempt timeouts; a circuit breaker; a timeout
/// per attempt. Retried POSTs are safe because every caller sends idempotent requests (message ids, the same chat
/// request whose answer is cached and rate limited by us), except the notification providers: FCM and WhatsApp have no
/// idempotency key, so a request the provider took but whose answer was lost may reach the device twice (see README).
/// A provider that marks a rate limit in another 4xx (WhatsApp: a 400's error code) passes <c>isRateLimited</c>; such
/// an answer is then handled like a 429.
/// </summary>
public static class OutboundHttpResilience
{
    public static IHttpClientBuilder AddOutboundResilience(this IHttpClientBuilder builder, string name, Func<IServiceProvider, OutboundHttpOptions> options, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited = null)
    {
        builder.AddResilienceHandler(name, (pipeline, context) => Configure(pipeline, options(context.ServiceProvider), context.ServiceProvider.GetRequiredService<TimeProvider>(), isRateLimited));
        return builder;
    }

    /// <summary>Retry (outermost), circuit breaker, attempt timeout (innermost), all on <paramref name="time"/>.</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, OutboundHttpOptions options, TimeProvider time, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited = null)
    {
        pipeline.TimeProvider = time;
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => IsTransientAsync(args.Outcome, time, options.MaxRetryAfter, isRateLimited),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakFailureRatio,
            MinimumThroughput = options.BreakMinimumThroughput,
            SamplingDuration = options.BreakSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => IsTransientAsync(args.Outcome, time, TimeSpan.MaxValue, isRateLimited),
        });
        pipeline.AddTimeout(options.AttemptTimeout);
        return pipeline;
    }

    /// <summary>A failure a later attempt may not repeat; a Retry-After beyond <paramref name="maxRetryAfter"/> is left to the caller.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, TimeProvider time, TimeSpan maxRetryAfter)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var transientStatus = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
        return transientStatus && (RetryAfter(response, time) is not { } wait || wait <= maxRetryAfter);
    }

    /// <summary>
    /// <see cref="IsTransient"/>, and also a 4xx that <paramref name="isRateLimited"/> says is a rate limit (it may read
    /// the body, so it runs only for a 4xx the status alone does not decide).
    /// </summary>
    public static async ValueTask<bool> IsTransientAsync(Outcome<HttpResponseMessage> outcome, TimeProvider time, TimeSpan maxRetryAfter, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited)
    {
        if (IsTransient(outcome, time, maxRetryAfter))
        {
            return true;
        }

        if (isRateLimited is null || outcome.Exception is not null || outcome.Result is not { } response)
        {
            return false;
        }

        var waitWithin = RetryAfter(response, time) is not { } wait || wait <= maxRetryAfter;
        return waitWithin && (int)response.StatusCode is >= 400 and < 500 && await isRateLimited(response);
    }

    /// <summary>The response's Retry-After as a wait from now on <paramref name="time"/> (an HTTP date already past is zero).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
            _ => null,
        };
}
