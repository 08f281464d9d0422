namespace Shared.Domain.Billing;

/// <summary>Billing settings (section <c>Billing</c>).</summary>
public sealed class BillingOptions
{
    /// <summary>How long a past-due subscription keeps its plan before it falls back to the free plan.</summary>
    public int GracePeriodDays { get; set; } = 3;

    public TimeSpan GracePeriod => TimeSpan.FromDays(GracePeriodDays);
}
