namespace Shared.Domain.Common;

/// <summary>An expected failure: a stable machine-readable code plus, for validation, the fields at fault.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", fields);

    public static Error NotFound(string code, string detail) => new(ErrorKind.NotFound, code, detail);
}
