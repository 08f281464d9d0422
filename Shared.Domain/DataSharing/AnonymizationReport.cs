namespace Shared.Domain.DataSharing;

public sealed record AnonymizationReport(DateOnly Day, bool AlreadyDone, int Users, int Rows, int SuppressedGroups);
