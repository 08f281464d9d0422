namespace Shared.Domain.DataSharing.Privacy;

/// <summary>One release's spend in a tenant's privacy ledger. A day has at most one entry.</summary>
public sealed record PrivacyLedgerEntry(string ReleaseId, DateOnly Day, PrivacySpend Spend)
{
    public static string ReleaseIdFor(Common.TenantId tenant, DateOnly day) => $"{tenant.Value}:{day:yyyy-MM-dd}";
}
