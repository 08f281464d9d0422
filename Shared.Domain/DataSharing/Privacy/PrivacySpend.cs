namespace Shared.Domain.DataSharing.Privacy;

/// <summary>An (ε, δ) amount, spent or allowed. Decimal, so sums over a month are exact and a budget check never rounds.</summary>
public readonly record struct PrivacySpend(decimal Epsilon, decimal Delta)
{
    public static PrivacySpend Zero => default;

    public PrivacySpend Add(PrivacySpend other) => new(Epsilon + other.Epsilon, Delta + other.Delta);

    public static PrivacySpend operator +(PrivacySpend left, PrivacySpend right) => left.Add(right);

    public bool FitsWithin(PrivacySpend budget) => Epsilon <= budget.Epsilon && Delta <= budget.Delta;

    public override string ToString() => $"ε = {Epsilon}, δ = {Delta}";
}
