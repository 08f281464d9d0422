namespace Functions.Api.Billing;

/// <summary>A link to the billing portal.</summary>
public sealed record PortalResponse(string PortalUrl);
