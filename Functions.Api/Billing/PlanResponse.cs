namespace Functions.Api.Billing;

public sealed record PlanResponse(
    string Id,
    string Name,
    long PriceMonthlyCents,
    long PriceYearlyCents,
    long PriceLifetimeCents,
    string Currency,
    int? HitsLimit,
    string ResetPeriod,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> BillingCycles,
    bool Default);
