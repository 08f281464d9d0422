using System.Globalization;
using Shared.Domain.Features;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// The inbox's keyset cursor: the last answered notification's creation time and id ("{ms}:{id}"), so the next page is
/// everything older (ties broken by id) whatever was added meanwhile. Both stores write and read the same text.
/// </summary>
internal readonly record struct InboxCursor(long CreatedAtMs, string Id)
{
    public override string ToString() => CreatedAtMs.ToString(CultureInfo.InvariantCulture) + ":" + Id;

    public static InboxCursor Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            && Domain.Notifications.InboxIds.IsWellFormed(text[(colon + 1)..]))
        {
            return new InboxCursor(ms, text[(colon + 1)..]);
        }

        throw new InvalidContinuationException("Not a continuation token of this inbox.");
    }
}
