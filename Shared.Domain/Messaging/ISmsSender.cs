namespace Shared.Domain.Messaging;

/// <summary>Sends text messages (the local outbox, or an HTTP SMS API). Throws <see cref="MessageNotSentException"/> when the provider refuses.</summary>
public interface ISmsSender
{
    Task SendAsync(SmsMessage message, CancellationToken cancellationToken);
}
