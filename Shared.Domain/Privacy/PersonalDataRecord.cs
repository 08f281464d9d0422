namespace Shared.Domain.Privacy;

/// <summary>
/// One stored item about a user, as plain data: its kind (<c>user</c>, <c>installation</c>, <c>payment</c>…) and its
/// fields as text (times in ISO 8601 UTC, numbers in invariant digits, absent values null), ready to be written as JSON
/// or CSV without knowing any store's shapes.
/// </summary>
public sealed record PersonalDataRecord(string Kind, IReadOnlyDictionary<string, string?> Fields);
