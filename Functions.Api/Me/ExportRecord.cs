namespace Functions.Api.Me;

public sealed record ExportRecord(string Kind, IReadOnlyDictionary<string, string?> Fields);
