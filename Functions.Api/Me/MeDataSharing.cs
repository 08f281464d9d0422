namespace Functions.Api.Me;

public sealed record MeDataSharing(bool OptIn, int ProfitSplit);
