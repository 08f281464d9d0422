using System.Text.Json.Serialization;
using Shared.Domain.Quotas;

namespace Shared.Infrastructure.Quotas;

/// <summary>
/// One remembered key. Short property names and flags written only when set: every account write costs by the
/// document's size, and an account holds up to <see cref="QuotaAccount.PruneAbove"/> of these (README: quotas).
/// </summary>
internal sealed class RecordedUseDocument
{
    public const string AtName = "at";
    public const string UsedAfterName = "n";
    public const string ReleasedName = "rel";
    public const string SettledName = "set";

    [JsonPropertyName(AtName)]
    public long AtMs { get; set; }

    /// <summary>Written by a second patch right after the consuming one; absent for that brief moment.</summary>
    [JsonPropertyName(UsedAfterName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? UsedAfter { get; set; }

    /// <summary>The use was given back (a reservation released); absent when not.</summary>
    [JsonPropertyName(ReleasedName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Released { get; set; }

    /// <summary>The use was kept for good (a reservation whose job succeeded); absent when not. Neither flag: a reservation in flight.</summary>
    [JsonPropertyName(SettledName)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Settled { get; set; }
}
