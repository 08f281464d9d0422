using System.Text;
using Shared.Domain.Features;

namespace Shared.Domain.Common;

/// <summary>
/// Continuation tokens as clients see them: URL-safe base64 (no padding) of a list's own cursor text. Every paged list
/// uses this one encoding (store tokens, keyset cursors of the marketplace, the admin user search, the audit log).
/// </summary>
public static class ContinuationText
{
    /// <summary>The answer to a continuation a list did not issue: 400 <c>invalid_continuation</c>, the same on every list.</summary>
    public static Error Invalid { get; } = new(ErrorKind.Validation, "invalid_continuation", "The continuation is not one this endpoint returned.");

    public static string Encode(string token) => Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The store's token; throws <see cref="InvalidContinuationException"/> for anything this did not encode.</summary>
    public static string Decode(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new InvalidContinuationException("Not a continuation token of this list.");
        }
    }

    /// <summary>The cursor text of <paramref name="text"/>, or false for anything this did not encode.</summary>
    public static bool TryDecode(string text, out string plain)
    {
        try
        {
            plain = Decode(text);
            return true;
        }
        catch (InvalidContinuationException)
        {
            plain = "";
            return false;
        }
    }
}
