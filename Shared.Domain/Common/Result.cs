namespace Shared.Domain.Common;

/// <summary>The kind of an expected failure; the HTTP layer maps each kind to one status code.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
    Unauthorized,
    TooManyRequests,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unavailable,
    PaymentRequired,
}

/// <summary>An expected failure: a stable machine-readable code plus, for validation, the fields at fault.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation_failed", "One or more fields are invalid.", fields);

    public static Error NotFound(string code, string detail) => new(ErrorKind.NotFound, code, detail);
}

/// <summary>Either a value or an <see cref="Error"/>; expected failures travel as values, not exceptions.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result is a failure: {Error.Code}");

    public static Result<T> Success(T value) => new(value);

    public static Result<T> Failure(Error error) => new(error);

#pragma warning disable CA2225 // implicit conversions keep handler code readable; the named factories exist too
    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Error error) => new(error);
#pragma warning restore CA2225
}
