using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Where a search continues, given to clients as opaque URL-safe base64: the first page's time (items created later
/// are left out of every page), the relevance group, the last item's sort key and id, and a fingerprint of the search
/// (words, filters, order) so that a token is refused with another search.
/// </summary>
public sealed record SearchContinuation(string Fingerprint, long CreatedUpTo, int Group, long Key, string Id)
{
    public const int MaxLength = 512;

    public static string FingerprintOf(string canonicalSearch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalSearch)))[..16];

    public string Encode() => ContinuationText.Encode(string.Create(CultureInfo.InvariantCulture, $"m1|{Fingerprint}|{CreatedUpTo}|{Group}|{Key}|{Id}"));

    public static bool TryDecode(string text, out SearchContinuation? continuation)
    {
        continuation = null;
        if (text.Length > MaxLength || !ContinuationText.TryDecode(text, out var plain))
        {
            return false;
        }

        var parts = plain.Split('|');
        if (parts is not ["m1", var fingerprint, var upTo, var group, var key, var id]
            || fingerprint.Length != 16
            || !long.TryParse(upTo, NumberStyles.None, CultureInfo.InvariantCulture, out var createdUpTo)
            || group is not ("0" or "1")
            || !long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var keyValue)
            || !Guid.TryParseExact(id, "D", out _))
        {
            return false;
        }

        continuation = new SearchContinuation(fingerprint, createdUpTo, group == "1" ? 1 : 0, keyValue, id);
        return true;
    }
}
