namespace Shared.Domain.Messaging;

/// <summary>Sends email (the local outbox, or an HTTP mail API). Throws <see cref="MessageNotSentException"/> when the provider refuses.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessage message, CancellationToken cancellationToken);
}
