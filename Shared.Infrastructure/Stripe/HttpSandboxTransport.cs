namespace Shared.Infrastructure.Stripe;

public sealed class HttpSandboxTransport(HttpClient http) : ISandboxWebhookTransport
{
    public async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(StripeWebhook.SignatureHeader, signature);
        return await http.SendAsync(request, cancellationToken);
    }
}
