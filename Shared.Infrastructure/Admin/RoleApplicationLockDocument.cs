using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Held while a user has a pending application for a role: one per user and role (its id names the role), created with
/// the application and deleted with its decision in one transactional batch, so two pending ones cannot coexist.
/// </summary>
public sealed class RoleApplicationLockDocument
{
    public const string DocumentType = "role_application_pending";

    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = DocumentType;

    public string ApplicationId { get; set; } = "";

    public static string IdFor(string role) => DocumentType + ":" + role;
}
