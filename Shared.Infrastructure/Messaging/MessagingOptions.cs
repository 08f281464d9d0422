namespace Shared.Infrastructure.Messaging;

/// <summary>
/// Which adapters send mail and SMS (configuration section <c>Messaging</c>). <c>Outbox</c> (the default) keeps messages
/// in the store for GET /api/dev/outbox and is refused in Production; <c>SendGrid</c> and <c>Twilio</c> call those
/// providers' HTTP APIs with keys from the secrets port.
/// </summary>
public sealed class MessagingOptions
{
    public const string Outbox = "Outbox";
    public const string SendGrid = "SendGrid";
    public const string Twilio = "Twilio";

    public string MailProvider { get; set; } = Outbox;

    public string SmsProvider { get; set; } = Outbox;

    public SendGridOptions SendGridSettings { get; set; } = new();

    public TwilioOptions TwilioSettings { get; set; } = new();
}
