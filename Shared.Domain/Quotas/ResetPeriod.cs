namespace Shared.Domain.Quotas;

/// <summary>How usage is counted: per UTC day, or per month starting on the billing anchor.</summary>
public enum ResetPeriod
{
    Day,
    Month,
}
