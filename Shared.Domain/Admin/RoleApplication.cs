using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>
/// A user's application for a role admins approve (creator, shopkeeper: D'Offers' "ApproveShop"). Who decided is not
/// kept here but in the audit log, which survives an admin's erasure pseudonymised; the application is the applicant's
/// personal data and goes with their erasure. The id begins with the applicant's id, so each store finds it directly.
/// </summary>
public sealed record RoleApplication(
    TenantId TenantId,
    string Id,
    UserId UserId,
    Role Role,
    string? Note,
    RoleApplicationStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt = null,
    string? Reason = null)
{
    public const int MaxIdLength = 80;

    public static string NewId(UserId userId, Role role) => $"{userId.Value}.{role.ToClaim()}.{Guid.NewGuid():N}";

    /// <summary>The applicant named by a well-formed application id (anything else is no application).</summary>
    public static bool TryReadApplicant(string? id, out UserId applicant)
    {
        applicant = default;
        if (id is null || id.Length > MaxIdLength || id.Split('.') is not [var user, _, var suffix] || suffix.Length != 32 || !suffix.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        if (!UserId.TryParse(user, out var parsed))
        {
            return false;
        }

        applicant = parsed.Value;
        return true;
    }

    /// <summary>The decided application (from pending only: the store applies it conditionally).</summary>
    public RoleApplication Decide(RoleApplicationStatus status, DateTimeOffset at, string? reason) =>
        Status == RoleApplicationStatus.Pending && status != RoleApplicationStatus.Pending
            ? this with { Status = status, DecidedAt = at, Reason = reason }
            : throw new InvalidOperationException($"Application {Id} is {Status}; only a pending one is decided.");
}
