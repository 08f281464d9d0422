namespace Functions.Api.Me;

public sealed record ExportSection(string Name, IReadOnlyList<ExportRecord> Records);
