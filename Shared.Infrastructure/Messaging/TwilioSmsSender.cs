using System.Net.Http.Headers;
using System.Text;
using Shared.Domain.Messaging;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Messaging;

/// <summary>
/// Sends text messages through Twilio's Messages API: a form POST (To, From, Body) to
/// /2010-04-01/Accounts/{sid}/Messages.json with basic auth (account SID, auth token); 201 means queued. Any other
/// answer throws <see cref="MessageNotSentException"/> with the status. A 401 also drops the cached token.
/// </summary>
public sealed class TwilioSmsSender(HttpClient http, TwilioOptions options, ISecretProvider secrets) : ISmsSender
{
    public const string HttpClientName = "twilio";

    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var token = await secrets.GetAsync(TwilioOptions.AuthTokenSecret, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid)}/Messages.json"))
        {
            Content = new FormUrlEncodedContent([
                KeyValuePair.Create("To", message.To.Value),
                KeyValuePair.Create(options.From.StartsWith("MG", StringComparison.Ordinal) ? "MessagingServiceSid" : "From", options.From),
                KeyValuePair.Create("Body", message.Body)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{token}")));
        HttpResponseMessage sent;
        try
        {
            sent = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (OutboundHttpFailures.IsUnreachable(e, cancellationToken))
        {
            // Unreachable or timed out: the caller answers 503 message_not_sent rather than 500.
            throw new MessageNotSentException("Twilio could not be reached.", e);
        }

        using var response = sent;
        if ((int)response.StatusCode is 401 or 403)
        {
            secrets.Invalidate(TwilioOptions.AuthTokenSecret);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new MessageNotSentException($"Twilio answered {(int)response.StatusCode}.") { ProviderStatus = (int)response.StatusCode };
        }
    }
}
