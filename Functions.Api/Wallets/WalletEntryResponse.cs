using Shared.Domain.Wallets;

namespace Functions.Api.Wallets;

/// <summary>
/// One ledger entry: <see cref="AmountCents"/> is the signed change of the balance (0 for a hold or a release, which
/// change only <see cref="HeldDeltaCents"/>); <see cref="ShortfallCents"/> is what a refund could not take back.
/// </summary>
public sealed record WalletEntryResponse(string Id, string Kind, long AmountCents, long BalanceAfterCents, long HeldDeltaCents, long HeldAfterCents, string? Reference, long ShortfallCents, DateTimeOffset CreatedAt)
{
    public static WalletEntryResponse From(LedgerEntry e) =>
        new(e.Id, WalletText.Format(e.Kind), e.Amount, e.BalanceAfter, e.HeldDelta, e.HeldAfter, e.Reference, e.Shortfall, e.CreatedAt);
}
