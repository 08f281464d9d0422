using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// One test for "the provider could not be reached" shared by every outbound client (SendGrid, Twilio, FCM, WhatsApp,
/// Stripe): callers turn it into their try-again-later answer (503 message_not_sent, a deferred notification,
/// payment_provider_unavailable) instead of letting it surface as a 500.
/// </summary>
public static class OutboundHttpFailures
{
    /// <summary>
    /// A network fault, the resilience handler's attempt timeout or open circuit (<see cref="OutboundHttpResilience"/>),
    /// or the <c>HttpClient</c>'s own timeout: an <see cref="OperationCanceledException"/> the caller did not ask for
    /// (<paramref name="cancellationToken"/> not cancelled). The caller's own cancellation is not a provider failure.
    /// </summary>
    public static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
