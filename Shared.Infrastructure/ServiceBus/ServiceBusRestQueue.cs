using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.ServiceBus;

/// <summary>
/// Sends to Service Bus over its REST API (the Azure.Messaging.ServiceBus SDK is not available here): an Entra token
/// for https://servicebus.azure.net from the app's identity, <c>BrokerProperties.MessageId</c> so the queue's duplicate
/// detection drops repeats, batches as one request. Retries (429/5xx/network faults, honouring Retry-After; safe: same
/// message ids), the attempt timeout and the circuit breaker are the <c>HttpClient</c>'s resilience handler
/// (<see cref="OutboundHttpResilience"/>, registered by <see cref="ServiceBusRegistration"/>). Receiving is the Functions host's job.
/// </summary>
public sealed class ServiceBusRestQueue : IJobQueue
{
    private const string Scope = "https://servicebus.azure.net/.default";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly HttpClient _http;
    private readonly TokenCredential _credential;
    private readonly TimeProvider _time;
    private volatile StrongBox<AccessToken>? _token;

    public ServiceBusRestQueue(HttpClient http, TokenCredential credential, ServiceBusOptions options, TimeProvider time)
    {
        _http = http;
        _http.BaseAddress ??= new Uri($"https://{options.FullyQualifiedNamespace}/");
        _credential = credential;
        _time = time;
    }

    public async Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var token = await TokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Uri.EscapeDataString(queue)}/messages");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (messages.Count == 1)
        {
            request.Content = new StringContent(messages[0].Body, Encoding.UTF8, "application/json");
            request.Headers.TryAddWithoutValidation("BrokerProperties", JsonSerializer.Serialize(BrokerProperties(messages[0])));
        }
        else
        {
            var batch = messages.Select(m => new Dictionary<string, object> { ["Body"] = m.Body, ["BrokerProperties"] = BrokerProperties(m) });
            request.Content = new StringContent(JsonSerializer.Serialize(batch), Encoding.UTF8, "application/vnd.microsoft.servicebus.json");
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Service Bus refused the send to '{queue}' ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
        }
    }

    private static Dictionary<string, object> BrokerProperties(JobMessage message)
    {
        var properties = new Dictionary<string, object> { ["MessageId"] = message.MessageId };
        if (message.NotBefore is { } at)
        {
            properties["ScheduledEnqueueTimeUtc"] = at.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        }

        return properties;
    }

    /// <summary>
    /// The cached Entra token, renewed once it is within five minutes of expiry by the injected clock. Concurrent
    /// senders may both renew (the credential has its own cache); the box keeps token and expiry read together.
    /// </summary>
    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && !NeedsRefresh(cached.Value))
        {
            return cached.Value.Token;
        }

        var fresh = await _credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        _token = new StrongBox<AccessToken>(fresh);
        return fresh.Token;
    }

    private bool NeedsRefresh(AccessToken token) => token.ExpiresOn - RefreshMargin <= _time.GetUtcNow();
}
