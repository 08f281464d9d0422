namespace Shared.Infrastructure.DataSharing;

/// <summary>One day's reservation in a <see cref="DataSharingBudgetDocument"/>; ε and δ as invariant decimal text.</summary>
internal sealed class DataSharingBudgetEntry
{
    public string Day { get; set; } = "";

    public string Epsilon { get; set; } = "";

    public string Delta { get; set; } = "";

    public string RunId { get; set; } = "";

    public long ReservedAtMs { get; set; }
}
