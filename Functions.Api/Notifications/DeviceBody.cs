namespace Functions.Api.Notifications;

/// <summary>The body of <c>PUT</c> and <c>DELETE /customers/me/devices</c>: the FCM registration token of the caller's device.</summary>
public sealed class DeviceBody
{
    public string? FcmToken { get; set; }
}
