using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// WhatsApp through Meta's Cloud API: POST {version}/{phone_number_id}/messages with the system user's bearer token and
/// <c>{messaging_product:"whatsapp", recipient_type:"individual", to, type:"text", text:{preview_url:false, body}}</c>
/// to the number the customer verified by OTP (E.164 digits). A 200 means Meta accepted the message (delivery and read
/// are reported later by webhooks, which this backend does not subscribe to). Failed for good: no verified number, an
/// empty text or one over <see cref="MaxTextLength"/> characters (refused before sending), and any other 4xx (e.g.
/// 131026 undeliverable, 131047 outside the 24-hour window). Rate limits (429, and the error codes of
/// <see cref="IsRateLimitCode"/> that Meta sends in a 400) and 5xx are retried by the client's handler, then deferred.
/// A 401 (expired or revoked token) drops the cached secret and is deferred: our credential, not the customer's fault.
/// </summary>
public sealed class WhatsAppCloudSender(HttpClient http, WhatsAppCloudOptions options, ISecretProvider secrets, IVerifiedPhoneDirectory phones, TimeProvider time, ILogger<WhatsAppCloudSender> logger) : INotificationSender
{
    public const string HttpClientName = "whatsapp-cloud";

    /// <summary>The Cloud API's limit on a text message's body, in characters.</summary>
    public const int MaxTextLength = 4096;

    public NotificationChannel Channel => NotificationChannel.WhatsApp;

    /// <summary>
    /// Meta's throttling error codes: 4 (app request limit), 80007 (WhatsApp Business account rate limit), 130429 (Cloud
    /// API throughput), 131048 (spam rate limit), 131056 (too many messages to one recipient).
    /// </summary>
    public static bool IsRateLimitCode(int code) => code is 4 or 80007 or 130429 or 131048 or 131056;

    /// <summary>For the retry handler: a 4xx whose Graph error code is a rate limit.</summary>
    public static async ValueTask<bool> IsRateLimitedAsync(HttpResponseMessage response) =>
        await ErrorCodeAsync(response, CancellationToken.None) is { } code && IsRateLimitCode(code);

    public async Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Text.Length == 0 || notification.Text.EnumerateRunes().Count() > MaxTextLength)
        {
            return DeliveryOutcome.Failed;
        }

        if (await phones.FindAsync(notification.TenantId, notification.UserId, cancellationToken) is not { } phone)
        {
            return DeliveryOutcome.Failed;
        }

        string token;
        try
        {
            token = await secrets.GetAsync(WhatsAppCloudOptions.AccessTokenSecret, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "No WhatsApp access token; the message is deferred.");
            throw new NotificationDeferredException("The WhatsApp access token could not be read.", e);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, $"{options.ApiVersion}/{Uri.EscapeDataString(options.PhoneNumberId)}/messages"))
        {
            Content = JsonContent.Create(new
            {
                messaging_product = "whatsapp",
                recipient_type = "individual",
                to = phone.Value.TrimStart('+'),
                type = "text",
                text = new { preview_url = false, body = notification.Text },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage sent;
        try
        {
            sent = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (OutboundHttpFailures.IsUnreachable(e, cancellationToken))
        {
            throw new NotificationDeferredException("The WhatsApp Cloud API could not be reached.", e);
        }

        using var response = sent;
        if (response.IsSuccessStatusCode)
        {
            return DeliveryOutcome.Delivered;
        }

        var status = (int)response.StatusCode;
        var code = await ErrorCodeAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            secrets.Invalidate(WhatsAppCloudOptions.AccessTokenSecret);
        }

        if (status is 401 or 408 or 429 || status >= 500 || code is { } c && IsRateLimitCode(c))
        {
            logger.LogWarning("The WhatsApp Cloud API answered {Status} (code {Code}); the message is deferred.", status, code);
            throw new NotificationDeferredException($"The WhatsApp Cloud API answered {status}.") { RetryAfter = OutboundHttpResilience.RetryAfter(response, time) };
        }

        logger.LogWarning("The WhatsApp Cloud API refused a message: {Status} (code {Code}).", status, code);
        return DeliveryOutcome.Failed;
    }

    /// <summary>The Graph error's <c>error.code</c>, or null when the body is not a Graph error.</summary>
    private static async Task<int?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            // Buffered first: the retry handler reads the body to decide, and the sender may read it again.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.Number
                && code.TryGetInt32(out var value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
