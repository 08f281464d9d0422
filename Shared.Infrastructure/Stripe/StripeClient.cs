using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Timeout;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Stripe;

public sealed class StripeOptions
{
    public string BaseUrl { get; set; } = "https://api.stripe.com/";

    public int TimeoutSeconds { get; set; } = 10;

    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public int RetryDelayMilliseconds { get; set; } = 500;
}

/// <summary>A failure Stripe reported (its error object), or the request not getting through at all.</summary>
public sealed class StripeException(HttpStatusCode? status, string type, string? code, string message) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;

    public string Type { get; } = type;

    public string? Code { get; } = code;
}

/// <summary>
/// Stripe's REST API without Stripe.net (not available here): form-encoded bodies with bracketed keys, the tenant's
/// secret key as Bearer, a pinned Stripe-Version, an Idempotency-Key on every POST, retries with backoff for 429,
/// 5xx and network faults (the same key makes a retried POST safe), a timeout per attempt, and typed errors.
/// A 401 makes it re-read the key once (it may have been rotated in Key Vault).
/// </summary>
public sealed class StripeClient : IPaymentGateway
{
    private readonly HttpClient _http;
    private readonly ISecretProvider _secrets;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public StripeClient(HttpClient http, ISecretProvider secrets, StripeOptions options)
    {
        _http = http;
        _http.BaseAddress ??= new Uri(options.BaseUrl);
        _secrets = secrets;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTransientHttpRetry(options.MaxRetries, TimeSpan.FromMilliseconds(options.RetryDelayMilliseconds))
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
            .Build();
    }

    public async Task<Result<string>> CreateCustomerAsync(TenantId tenantId, UserId userId, EmailAddress? email, string idempotencyKey, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("metadata[tenant_id]", tenantId.Value),
            new("metadata[user_id]", userId.Value),
        };
        if (email is { } address)
        {
            form.Add(new("email", address.Value));
        }

        return await PostAsync(tenantId, "v1/customers", form, idempotencyKey, json => json.GetProperty("id").GetString()!, cancellationToken);
    }

    public Task<Result<CheckoutSession>> CreateCheckoutSessionAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var cycle = BillingText.Format(request.Cycle);
        var lifetime = request.Cycle == BillingCycle.Lifetime;
        List<KeyValuePair<string, string>> form =
        [
            new("mode", lifetime ? "payment" : "subscription"),
            new("customer", request.CustomerId),
            new("client_reference_id", request.UserId.Value),
            new("line_items[0][price]", request.PriceId),
            new("line_items[0][quantity]", "1"),
            new("success_url", request.SuccessUrl),
            new("cancel_url", request.CancelUrl),
            new("metadata[tenant_id]", request.TenantId.Value),
            new("metadata[user_id]", request.UserId.Value),
            new("metadata[plan_id]", request.PlanId.Value),
            new("metadata[billing_cycle]", cycle),
        ];
        var carrier = lifetime ? "payment_intent_data" : "subscription_data";
        form.Add(new($"{carrier}[metadata][tenant_id]", request.TenantId.Value));
        form.Add(new($"{carrier}[metadata][user_id]", request.UserId.Value));
        form.Add(new($"{carrier}[metadata][plan_id]", request.PlanId.Value));
        form.Add(new($"{carrier}[metadata][billing_cycle]", cycle));
        return PostAsync(request.TenantId, "v1/checkout/sessions", form, request.IdempotencyKey, json => new CheckoutSession(json.GetProperty("id").GetString()!, json.GetProperty("url").GetString()!), cancellationToken);
    }

    public Task<Result<string>> CreatePortalSessionAsync(TenantId tenantId, string customerId, string returnUrl, CancellationToken cancellationToken) =>
        PostAsync(tenantId, "v1/billing_portal/sessions", [new("customer", customerId), new("return_url", returnUrl)], Guid.NewGuid().ToString("N"), json => json.GetProperty("url").GetString()!, cancellationToken);

    public Task<Result<bool>> CancelAtPeriodEndAsync(TenantId tenantId, string subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        PostAsync(tenantId, $"v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}", [new("cancel_at_period_end", "true")], idempotencyKey, json => json.GetProperty("cancel_at_period_end").GetBoolean(), cancellationToken);

    /// <summary>Refunds a payment intent (admin refunds build on this).</summary>
    public Task<Result<string>> RefundAsync(TenantId tenantId, string paymentIntentId, long? amountMinor, string idempotencyKey, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> form = [new("payment_intent", paymentIntentId)];
        if (amountMinor is { } amount)
        {
            form.Add(new("amount", amount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return PostAsync(tenantId, "v1/refunds", form, idempotencyKey, json => json.GetProperty("id").GetString()!, cancellationToken);
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> form) =>
        string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private async Task<Result<T>> PostAsync<T>(TenantId tenantId, string path, IReadOnlyList<KeyValuePair<string, string>> form, string idempotencyKey, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var secretName = SecretNames.StripeSecretKey(tenantId.Value);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var key = await _secrets.GetAsync(secretName, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    async token =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Encode(form), Encoding.UTF8, "application/x-www-form-urlencoded") };
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                        request.Headers.Add("Stripe-Version", StripeApi.Version);
                        request.Headers.Add("Idempotency-Key", idempotencyKey);
                        return await _http.SendAsync(request, token);
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
            {
                return new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider could not be reached; try again shortly.");
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                {
                    _secrets.Invalidate(secretName);
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    using var json = JsonDocument.Parse(body);
                    return read(json.RootElement);
                }

                return ToError(response.StatusCode, body);
            }
        }

        return new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider refused our credentials.");
    }

    private static Error ToError(HttpStatusCode status, string body)
    {
        string type = "api_error", message = "The payment provider refused the request.";
        string? code = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                type = error.TryGetProperty("type", out var t) ? t.GetString() ?? type : type;
                code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = error.TryGetProperty("message", out var m) ? m.GetString() ?? message : message;
            }
        }
        catch (JsonException)
        {
            // not Stripe's error shape; keep the generic message
        }

        return (status, type) switch
        {
            (HttpStatusCode.PaymentRequired, _) or (_, "card_error") => new Error(ErrorKind.PaymentRequired, "card_declined", message),
            (HttpStatusCode.TooManyRequests, _) or ( >= HttpStatusCode.InternalServerError, _) => new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider is busy or failing; try again shortly."),
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) => new Error(ErrorKind.Unavailable, "payment_provider_unavailable", "The payment provider refused our credentials."),
            _ => new Error(ErrorKind.Validation, "payment_request_rejected", $"The payment provider rejected the request ({code ?? type}): {message}"),
        };
    }
}
