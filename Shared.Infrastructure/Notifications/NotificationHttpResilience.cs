using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// The notification providers' retry handler (Microsoft.Extensions.Http.Resilience, as the other REST clients use) on
/// the injected <see cref="TimeProvider"/>: 408, 429, 5xx, network faults, attempt timeouts and any answer the provider
/// marks as a rate limit (the isRateLimited predicate: WhatsApp says so in a 400's error code) are retried with
/// exponential backoff and jitter, honouring Retry-After up to <see cref="NotificationHttpOptions.MaxRetryAfter"/>.
/// Retrying a send is safe for the customer only as far as the provider is: FCM and WhatsApp have no idempotency key, so
/// a request the provider took but whose answer was lost may reach the device twice (documented in README).
/// </summary>
public static class NotificationHttpResilience
{
    public static IHttpClientBuilder AddNotificationResilience(this IHttpClientBuilder builder, string name, NotificationHttpOptions options, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited = null)
    {
        builder.AddResilienceHandler(name, (pipeline, context) => Configure(pipeline, options, context.ServiceProvider.GetRequiredService<TimeProvider>(), isRateLimited));
        return builder;
    }

    public static ResiliencePipelineBuilder<HttpResponseMessage> Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, NotificationHttpOptions options, TimeProvider time, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited = null)
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
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, options, time, isRateLimited),
            });
        }

        pipeline.AddTimeout(options.AttemptTimeout);
        return pipeline;
    }

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, NotificationHttpOptions options, TimeProvider time, Func<HttpResponseMessage, ValueTask<bool>>? isRateLimited)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        var tooLong = OutboundHttpResilience.RetryAfter(response, time) is { } wait && wait > options.MaxRetryAfter;
        if (tooLong)
        {
            return false;
        }

        if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            return true;
        }

        return isRateLimited is not null && (int)response.StatusCode is >= 400 and < 500 && await isRateLimited(response);
    }
}
