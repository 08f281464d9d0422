namespace Shared.Domain.Wallets;

/// <summary>
/// A tenant's wallet configuration: the currency of its money wallets (ISO 4217), its per-message campaign prices, and
/// the price of one GPT-store credit (null: the tenant does not sell credits).
/// </summary>
public sealed record WalletSettings(string Currency, CampaignPrices CampaignPrices, long? CreditPriceCents);
