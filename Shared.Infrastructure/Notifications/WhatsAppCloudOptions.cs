using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// The WhatsApp Cloud API (section <c>Notifications:WhatsApp:Cloud</c>): the Graph API version and the business phone
/// number id messages are sent from; the system user's access token is the secret <see cref="AccessTokenSecret"/>.
/// </summary>
public sealed class WhatsAppCloudOptions
{
    public const string AccessTokenSecret = "whatsapp-access-token";

    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com/");

    /// <summary>The Graph API version in the path (v{major}.{minor}); Meta retires versions about two years after release.</summary>
    public string ApiVersion { get; set; } = "v23.0";

    /// <summary>The id of the WhatsApp business phone number (not the number itself).</summary>
    public string PhoneNumberId { get; set; } = "";

    /// <summary>The client's retries, circuit breaker and attempt timeout (defaults: <see cref="NotificationsRegistration.DefaultHttp"/>).</summary>
    public OutboundHttpOptions Http { get; set; } = NotificationsRegistration.DefaultHttp();
}
