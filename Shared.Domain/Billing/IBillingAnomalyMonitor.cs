namespace Shared.Domain.Billing;

/// <summary>Told about each newly recorded anomaly (logs it and counts it in the <c>billing.anomalies</c> metric).</summary>
public interface IBillingAnomalyMonitor
{
    void Detected(BillingAnomaly anomaly);
}
