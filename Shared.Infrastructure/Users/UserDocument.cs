using System.Text.Json.Serialization;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Users;

internal sealed class UserDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "user";

    /// <summary>Written by versions before proof-before-linking, from unverified request bodies: read as the contact email only.</summary>
    public string? Email { get; set; }

    /// <summary>Proven by an ID token; unique in the tenant through its <c>vemail:</c> lookup document.</summary>
    public string? VerifiedEmail { get; set; }

    /// <summary>Unverified, as typed by the installation that created the user; not unique, no lookup document.</summary>
    public string? ContactEmail { get; set; }

    public string Role { get; set; } = "user";

    /// <summary>What the user chose to be shown as (PUT /users/me); absent until set.</summary>
    public string? DisplayName { get; set; }

    public long CreatedAtMs { get; set; }

    public static string IdFor(UserId userId) => "user:" + userId.Value;
}
