namespace Shared.Domain.Notifications;

/// <summary>A provider could not take a message now (rate limited or unavailable) after the adapter's retries.</summary>
public sealed class NotificationDeferredException : Exception
{
    public NotificationDeferredException()
    {
    }

    public NotificationDeferredException(string message)
        : base(message)
    {
    }

    public NotificationDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The provider's Retry-After, when it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
