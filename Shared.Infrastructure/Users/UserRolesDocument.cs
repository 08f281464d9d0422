using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Users;

/// <summary>A user's granted roles: one document in the user's partition of <c>users</c>, replaced under its ETag.</summary>
internal sealed class UserRolesDocument
{
    public const string DocumentId = "roles";

    public string Id { get; set; } = DocumentId;

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "roles";

    public List<RoleGrantEntry> Roles { get; set; } = [];

    internal sealed class RoleGrantEntry
    {
        public string Role { get; set; } = "";

        public long GrantedAtMs { get; set; }
    }
}
