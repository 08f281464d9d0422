namespace Functions.Api.Features;

/// <summary>The caller's data sharing choice after the change.</summary>
public sealed record DataSharingResponse(bool OptIn, int ProfitSplit);
