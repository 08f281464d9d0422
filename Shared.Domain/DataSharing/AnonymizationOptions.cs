namespace Shared.Domain.DataSharing;

public sealed class AnonymizationOptions
{
    /// <summary>Groups with fewer distinct contributors than this are suppressed (k-anonymity).</summary>
    public int K { get; set; } = 10;

    public int BatchSize { get; set; } = 200;
}
