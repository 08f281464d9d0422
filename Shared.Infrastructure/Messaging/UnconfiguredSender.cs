using Shared.Domain.Messaging;

namespace Shared.Infrastructure.Messaging;

/// <summary>
/// Provider <c>None</c> (Production's default until one is configured): sends nothing and says so, so the endpoints
/// that must send a code answer 503 <c>message_not_sent</c> instead of pretending; the app itself still starts.
/// </summary>
public sealed class UnconfiguredSender(string setting) : IMailSender, ISmsSender
{
    public Task SendAsync(MailMessage message, CancellationToken cancellationToken) => throw NotConfigured();

    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken) => throw NotConfigured();

    private MessageNotSentException NotConfigured() => new($"no provider is configured ({setting} is None)");
}
