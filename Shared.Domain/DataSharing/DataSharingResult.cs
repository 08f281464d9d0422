namespace Shared.Domain.DataSharing;

public sealed record DataSharingResult(bool OptIn, int ProfitSplit);
