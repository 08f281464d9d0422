namespace Shared.Domain.DataSharing.Privacy;

/// <summary>A release that was made, the ledger entry it spent, and the ledger with that entry recorded.</summary>
public sealed record PrivateReleaseResult(PrivateRelease Release, PrivacyLedgerEntry Entry, PrivacyLedger Ledger);
