namespace Shared.Domain.Messaging;

/// <summary>The mail or SMS provider did not accept a message (its status and a short reason; never the message text).</summary>
public sealed class MessageNotSentException : Exception
{
    public MessageNotSentException()
    {
    }

    public MessageNotSentException(string message)
        : base(message)
    {
    }

    public MessageNotSentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int? ProviderStatus { get; init; }
}
