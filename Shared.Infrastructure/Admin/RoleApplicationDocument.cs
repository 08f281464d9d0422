using System.Text.Json.Serialization;
using Shared.Domain.Admin;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Admin;

/// <summary>A role application in the applicant's partition of <c>users</c> (so it goes with the applicant's erasure).</summary>
public sealed class RoleApplicationDocument
{
    public const string DocumentType = "role_application";

    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = DocumentType;

    public string ApplicationId { get; set; } = "";

    public string Role { get; set; } = "";

    public string? Note { get; set; }

    public string Status { get; set; } = "pending";

    public long CreatedAtMs { get; set; }

    public long? DecidedAtMs { get; set; }

    public string? Reason { get; set; }

    public static string IdFor(string applicationId) => DocumentType + ":" + applicationId;

    public static RoleApplicationDocument From(RoleApplication a) => new()
    {
        Id = IdFor(a.Id),
        TenantId = a.TenantId.Value,
        UserId = a.UserId.Value,
        ApplicationId = a.Id,
        Role = a.Role.ToClaim(),
        Note = a.Note,
        Status = RoleApplications.Format(a.Status),
        CreatedAtMs = a.CreatedAt.ToUnixTimeMilliseconds(),
        DecidedAtMs = a.DecidedAt?.ToUnixTimeMilliseconds(),
        Reason = a.Reason,
    };

    public RoleApplication ToApplication() => new(
        Domain.Common.TenantId.Parse(TenantId),
        ApplicationId,
        Domain.Common.UserId.Parse(UserId),
        RoleNames.TryParse(Role, out var role) ? role : throw new FormatException($"Unknown role '{Role}' in a role application."),
        Note,
        RoleApplications.TryParseStatus(Status, out var status) ? status : throw new FormatException($"Unknown status '{Status}' in a role application."),
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs),
        DecidedAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        Reason);
}
