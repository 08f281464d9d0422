namespace Shared.Domain.Wallets;

/// <summary>An operation's outcome, the entries it wrote (or wrote before, on a replay) and the wallet's position after it.</summary>
public sealed record WalletResult(WalletOutcome Outcome, IReadOnlyList<LedgerEntry> Entries, WalletBalance Balance)
{
    public bool Succeeded => Outcome is WalletOutcome.Applied or WalletOutcome.Replayed;

    public static WalletResult Refused(WalletOutcome outcome, WalletBalance balance) => new(outcome, [], balance);
}
