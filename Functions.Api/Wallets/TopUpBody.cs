namespace Functions.Api.Wallets;

/// <summary>The body of <c>POST /wallets/me/top-ups</c> (<see cref="AmountCents"/>) and <c>POST /credits/me/top-ups</c> (<see cref="Credits"/>).</summary>
public sealed class TopUpBody
{
    public long? AmountCents { get; set; }

    public long? Credits { get; set; }
}
