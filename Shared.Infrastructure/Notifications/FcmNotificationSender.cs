using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Push through FCM HTTP v1: for each device the customer registered, POST v1/projects/{project}/messages:send with a
/// Google OAuth 2.0 bearer token (FCM scope) and
/// <c>{message:{token, notification:{title, body}, data:{campaign_id, offer_id, message_id}}}</c> (data values are
/// strings, as FCM requires; message_id lets the app drop a duplicate). Outcomes: delivered when FCM accepted it for at
/// least one device; failed when the customer has no device or every device was refused for good (404 UNREGISTERED,
/// 400 INVALID_ARGUMENT and 403 SENDER_ID_MISMATCH also forget that token: FCM will never take it again); 429/5xx and
/// network faults are retried by the client's handler (Retry-After honoured) and then, with no device reached, thrown
/// as <see cref="NotificationDeferredException"/>. A 401 drops the cached OAuth token and tries once more; our own
/// credential failing is deferred, never counted against the customer.
/// </summary>
public sealed class FcmNotificationSender(HttpClient http, FcmOptions options, IGoogleAccessTokenSource tokens, IPushDeviceStore devices, TimeProvider time, ILogger<FcmNotificationSender> logger) : INotificationSender
{
    public const string HttpClientName = "fcm";

    public NotificationChannel Channel => NotificationChannel.Push;

    public async Task<DeliveryOutcome> SendAsync(CampaignNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var registered = await devices.ListAsync(notification.TenantId, notification.UserId, cancellationToken);
        if (registered.Count == 0)
        {
            return DeliveryOutcome.Failed;
        }

        var delivered = false;
        NotificationDeferredException? deferred = null;
        foreach (var device in registered)
        {
            switch (await SendToDeviceAsync(notification, device, cancellationToken))
            {
                case DeviceAnswer.Accepted:
                    delivered = true;
                    break;
                case DeviceAnswer.DeadToken:
                    await devices.RemoveAsync(notification.TenantId, notification.UserId, device, cancellationToken);
                    break;
                case DeviceAnswer.Refused:
                    break;
                case DeviceAnswer.Later later:
                    deferred ??= later.Reason;
                    break;
            }
        }

        // One device reached is a delivery: deferring would send it again to that device on redelivery.
        if (delivered)
        {
            return DeliveryOutcome.Delivered;
        }

        return deferred is null ? DeliveryOutcome.Failed : throw deferred;
    }

    private async Task<DeviceAnswer> SendToDeviceAsync(CampaignNotification notification, string device, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try
            {
                token = await tokens.GetTokenAsync(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                logger.LogWarning(e, "No FCM access token; the push message is deferred.");
                return new DeviceAnswer.Later(new NotificationDeferredException("No FCM access token could be obtained.", e));
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, $"v1/projects/{Uri.EscapeDataString(options.ProjectId)}/messages:send"))
            {
                Content = JsonContent.Create(new
                {
                    message = new
                    {
                        token = device,
                        notification = new { title = options.Title, body = notification.Text },
                        data = new Dictionary<string, string>
                        {
                            ["campaign_id"] = notification.CampaignId,
                            ["offer_id"] = notification.OfferId,
                            ["message_id"] = notification.MessageId,
                        },
                    },
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
                return new DeviceAnswer.Later(new NotificationDeferredException("FCM could not be reached.", e));
            }

            using var response = sent;
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeviceAnswer.Accepted.Instance;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                tokens.Invalidate();
                continue;
            }

            var error = await FcmErrorAsync(response, cancellationToken);
            if (status is 404 && error == "UNREGISTERED" || status is 400 && error == "INVALID_ARGUMENT" || status is 403 && error == "SENDER_ID_MISMATCH")
            {
                // INVALID_ARGUMENT also covers a malformed payload; ours is built from validated fields, so here it is the token.
                return DeviceAnswer.DeadToken.Instance;
            }

            if (status is 408 or 429 or 401 or 403 || status >= 500)
            {
                logger.LogWarning("FCM answered {Status} {Error}; the push message is deferred.", status, error);
                return new DeviceAnswer.Later(new NotificationDeferredException($"FCM answered {status}.") { RetryAfter = OutboundHttpResilience.RetryAfter(response, time) });
            }

            logger.LogWarning("FCM refused a push message: {Status} {Error}.", status, error);
            return DeviceAnswer.Refused.Instance;
        }
    }

    /// <summary>FCM's error code: details[].errorCode of the google.firebase.fcm.v1.FcmError detail, else error.status.</summary>
    private static async Task<string?> FcmErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (!body.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String)
                    {
                        return code.GetString();
                    }
                }
            }

            return error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // not FCM's JSON (a proxy's page): judged by the status alone
        }
    }

    private abstract record DeviceAnswer
    {
        public sealed record Accepted : DeviceAnswer
        {
            public static readonly Accepted Instance = new();
        }

        public sealed record DeadToken : DeviceAnswer
        {
            public static readonly DeadToken Instance = new();
        }

        public sealed record Refused : DeviceAnswer
        {
            public static readonly Refused Instance = new();
        }

        public sealed record Later(NotificationDeferredException Reason) : DeviceAnswer;
    }
}
