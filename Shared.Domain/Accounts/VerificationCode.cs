using Shared.Domain.Common;

namespace Shared.Domain.Accounts;

/// <summary>
/// A live one-time code, as stored: its salted hash, never the code. <see cref="UserId"/> is the user it will prove the
/// target for (for a phone seen for the first time, the id the new user will get). <see cref="Attempts"/> counts guesses
/// taken (each taken before it is compared, so concurrent guesses cannot exceed the limit). A sign-up code carries
/// the password hash of the sign-up that sent it (<see cref="PendingPasswordHash"/>): proving the code makes that the
/// account's password, so whoever proves the mailbox owns the password, not whoever signed up with the address first.
/// </summary>
public sealed record VerificationCode(
    TenantId TenantId,
    CodePurpose Purpose,
    string Target,
    UserId UserId,
    string Salt,
    string Hash,
    int Attempts,
    DateTimeOffset SentAt,
    DateTimeOffset ExpiresAt,
    string? PendingPasswordHash = null);
