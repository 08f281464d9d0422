namespace Shared.Infrastructure.Messaging;

/// <summary>
/// Which adapters send mail and SMS (configuration section <c>Messaging</c>). <c>Outbox</c> (the default outside
/// Production) keeps messages in the store for GET /api/dev/outbox and is refused in Production; <c>SendGrid</c> and
/// <c>Twilio</c> call those providers' HTTP APIs with keys from the secrets port; <c>None</c> (the default in
/// Production) sends nothing: endpoints that must send a code answer 503 <c>message_not_sent</c> until one is set.
/// </summary>
public sealed class MessagingOptions
{
    public const string Outbox = "Outbox";
    public const string SendGrid = "SendGrid";
    public const string Twilio = "Twilio";
    public const string None = "None";

    /// <summary>Null: <see cref="Outbox"/>, or <see cref="None"/> in Production.</summary>
    public string? MailProvider { get; set; }

    public string? SmsProvider { get; set; }

    public SendGridOptions SendGridSettings { get; set; } = new();

    public TwilioOptions TwilioSettings { get; set; } = new();
}
