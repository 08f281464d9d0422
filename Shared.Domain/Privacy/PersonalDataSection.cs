namespace Shared.Domain.Privacy;

/// <summary>One feature's part of a user's data export: its name and its records.</summary>
public sealed record PersonalDataSection(string Name, IReadOnlyList<PersonalDataRecord> Records);
