using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Admin;

/// <summary>The fields of a user document an admin search reads (the users feature's UserDocument, read-only here).</summary>
internal sealed class AdminUserRow
{
    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string? VerifiedEmail { get; set; }

    public string? ContactEmail { get; set; }

    /// <summary>Written by versions before proof-before-linking: the contact email.</summary>
    public string? Email { get; set; }

    public long CreatedAtMs { get; set; }
}
