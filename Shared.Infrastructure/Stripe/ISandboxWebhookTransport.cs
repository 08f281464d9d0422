namespace Shared.Infrastructure.Stripe;

/// <summary>Delivers a signed webhook body to the app's own webhook endpoint.</summary>
public interface ISandboxWebhookTransport
{
    Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature, CancellationToken cancellationToken);
}
