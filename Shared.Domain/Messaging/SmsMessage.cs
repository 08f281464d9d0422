using Shared.Domain.Accounts;
using Shared.Domain.Common;

namespace Shared.Domain.Messaging;

/// <summary>A text message to send; <see cref="Code"/> and <see cref="UserId"/> as in <see cref="MailMessage"/>.</summary>
public sealed record SmsMessage(TenantId TenantId, PhoneNumber To, string Body, string? Code, UserId? UserId);
