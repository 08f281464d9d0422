namespace Shared.Infrastructure.Messaging;

/// <summary>SendGrid's v3 mail API; the API key is the secret <see cref="ApiKeySecret"/>.</summary>
public sealed class SendGridOptions
{
    public const string ApiKeySecret = "sendgrid-api-key";

    public Uri BaseUrl { get; set; } = new("https://api.sendgrid.com/");

    /// <summary>The verified sender address.</summary>
    public string FromEmail { get; set; } = "";

    public string? FromName { get; set; }
}
