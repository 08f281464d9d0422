using Shared.Domain.Common;

namespace Functions.Api.Http;

/// <summary>
/// <c>?continuation=</c> read the same way on every list: absent or empty asks for the first page; a repeated parameter
/// or a value <see cref="ContinuationText"/> did not encode is <see cref="ContinuationText.Invalid"/>.
/// </summary>
public static class ContinuationQuery
{
    public const string Name = "continuation";

    /// <summary>The list's own cursor text, or null for the first page.</summary>
    public static Result<string?> Cursor(HttpRequest request)
    {
        var text = Text(request);
        if (!text.IsSuccess || text.Value is null)
        {
            return text;
        }

        return ContinuationText.TryDecode(text.Value, out var cursor) ? cursor : ContinuationText.Invalid;
    }

    /// <summary>The continuation as the client sent it (still encoded, for a use case that decodes its own), or null for the first page.</summary>
    public static Result<string?> Text(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Query.TryGetValue(Name, out var raw) || raw.ToString().Length == 0)
        {
            return Result<string?>.Success(null);
        }

        return raw.Count == 1 ? Result<string?>.Success(raw.ToString()) : ContinuationText.Invalid;
    }
}
