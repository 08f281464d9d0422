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
