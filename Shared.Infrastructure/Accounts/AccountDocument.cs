using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// Accounts' documents in the <c>lookups</c> container, each its own partition ([tenantId, lookupKey], lookupKey = id):
/// <c>credential</c> (by hashed email), <c>phone</c> (by hashed number), <c>code</c> (by purpose and hashed target),
/// <c>refresh_family</c> and <c>refresh_token</c> (by token hash). Every one names its user in <c>user_id</c>, which
/// the personal-data seam queries. Fields a type does not use stay null.
/// </summary>
internal sealed class AccountDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("lookupKey")]
    public string LookupKey { get; set; } = "";

    public string Type { get; set; } = "";

    public string UserId { get; set; } = "";

    public long CreatedAtMs { get; set; }

    public string? Email { get; set; }

    public string? PasswordHash { get; set; }

    public bool? EmailVerified { get; set; }

    public string? Phone { get; set; }

    public string? Purpose { get; set; }

    public string? Target { get; set; }

    public string? Salt { get; set; }

    public string? CodeHash { get; set; }

    public string? PendingPasswordHash { get; set; }

    public int? Attempts { get; set; }

    public long? ExpiresAtMs { get; set; }

    public string? FamilyId { get; set; }

    public long? RevokedAtMs { get; set; }

    public long? UsedAtMs { get; set; }
}
