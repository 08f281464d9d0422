using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Messaging;

/// <summary>
/// An email to send. <see cref="Code"/> is the one-time code the body carries, if any (only the local outbox keeps it
/// apart, so a script can finish a sign-up); <see cref="UserId"/> is whom it is about, so erasure finds it.
/// </summary>
public sealed record MailMessage(TenantId TenantId, EmailAddress To, string Subject, string Body, string? Code, UserId? UserId);
