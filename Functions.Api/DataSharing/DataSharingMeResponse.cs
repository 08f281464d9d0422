namespace Functions.Api.DataSharing;

/// <summary>The caller's Data Sharing Program state: consent, split, releases their data went into (a count), and what the split means.</summary>
public sealed record DataSharingMeResponse(bool OptIn, int ProfitSplit, int ReleasesContributed, string ProfitSplitRule);
