using System.Text;
using Shared.Domain.Features;

namespace Shared.Infrastructure.Json;

/// <summary>Continuation tokens as clients see them: URL-safe base64 of the store's own token.</summary>
public static class ContinuationText
{
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
}
