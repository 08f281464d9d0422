using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shared.Domain.Messaging;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Messaging;

/// <summary>
/// Sends mail through SendGrid's v3 API: POST /v3/mail/send with a bearer API key and the JSON body
/// <c>{personalizations:[{to:[{email}]}], from:{email,name}, subject, content:[{type:"text/plain", value}]}</c>;
/// 202 means accepted. Any other answer throws <see cref="MessageNotSentException"/> with the status (never the body,
/// which may echo the message). A 401/403 also drops the cached key, in case it was rotated.
/// </summary>
public sealed class SendGridMailSender(HttpClient http, SendGridOptions options, ISecretProvider secrets) : IMailSender
{
    public const string HttpClientName = "sendgrid";

    public async Task SendAsync(MailMessage message, CancellationToken cancellationToken)
    {
        var key = await secrets.GetAsync(SendGridOptions.ApiKeySecret, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "v3/mail/send"))
        {
            Content = JsonContent.Create(new
            {
                personalizations = new[] { new { to = new[] { new { email = message.To.Value } } } },
                from = options.FromName is { Length: > 0 } name ? (object)new { email = options.FromEmail, name } : new { email = options.FromEmail },
                subject = message.Subject,
                content = new[] { new { type = "text/plain", value = message.Body } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage sent;
        try
        {
            sent = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (OutboundHttpFailures.IsUnreachable(e, cancellationToken))
        {
            // Unreachable or timed out: the caller answers 503 message_not_sent rather than 500.
            throw new MessageNotSentException("SendGrid could not be reached.", e);
        }

        using var response = sent;
        if ((int)response.StatusCode is 401 or 403)
        {
            secrets.Invalidate(SendGridOptions.ApiKeySecret);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new MessageNotSentException($"SendGrid answered {(int)response.StatusCode}.") { ProviderStatus = (int)response.StatusCode };
        }
    }
}
