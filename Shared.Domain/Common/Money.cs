namespace Shared.Domain.Common;

/// <summary>An amount in integer minor units (cents, paise) of an ISO 4217 currency. Never a floating point number.</summary>
public readonly record struct Money
{
    public Money(long minorUnits, string currency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minorUnits);
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException("Currency must be a three-letter upper-case ISO 4217 code.", nameof(currency));
        }

        MinorUnits = minorUnits;
        Currency = currency;
    }

    public long MinorUnits { get; }

    public string Currency { get; }

    public override string ToString() => $"{MinorUnits} {Currency} (minor units)";
}
