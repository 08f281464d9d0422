using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// FCM HTTP v1 (section <c>Notifications:Push:Fcm</c>): the Firebase project, the notification's title, and where the
/// credential is: the service account's JSON key file is the secret <see cref="ServiceAccountSecret"/> (Key Vault in
/// Azure; <c>Secrets:fcm_service_account</c> locally).
/// </summary>
public sealed class FcmOptions
{
    public const string ServiceAccountSecret = "fcm-service-account";

    public Uri BaseUrl { get; set; } = new("https://fcm.googleapis.com/");

    /// <summary>The Firebase project id (the {project} of projects/{project}/messages:send).</summary>
    public string ProjectId { get; set; } = "";

    /// <summary>The notification's title; the campaign's text is its body.</summary>
    public string Title { get; set; } = "New offer near you";

    /// <summary>The client's retries, circuit breaker and attempt timeout (defaults: <see cref="NotificationsRegistration.DefaultHttp"/>).</summary>
    public OutboundHttpOptions Http { get; set; } = NotificationsRegistration.DefaultHttp();
}
