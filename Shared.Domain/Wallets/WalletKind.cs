namespace Shared.Domain.Wallets;

/// <summary>What a wallet counts: money in the tenant's wallet currency (minor units), or GPT-store credits.</summary>
public enum WalletKind
{
    Money,
    Credits,
}
