namespace Shared.Domain.Marketplace;

/// <summary>A sale credits the creator's share; a reversal (the purchase was refunded) takes it back.</summary>
public enum EarningsKind
{
    Sale,
    Reversal,
}
