using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.DataSharing;

/// <summary>
/// Takes in an opted-in user's events: only a user whose current preference is opted in may submit (others get 403
/// and nothing is stored); every item is checked first and one bad item refuses the whole batch. A site is reduced to
/// its registrable domain here, so no page address is ever stored.
/// </summary>
public sealed class SubmitDataSharingEvents(IDataSharingStore preferences, IDataSharingEventStore events, DataSharingOptions options, TimeProvider time)
{
    public const string NotOptedInCode = "data_sharing_not_opted_in";

    public async Task<Result<int>> HandleAsync(TenantId tenantId, UserId userId, IReadOnlyList<DataSharingEventInput>? items, CancellationToken cancellationToken)
    {
        var preference = await preferences.GetAsync(tenantId, userId, cancellationToken);
        if (preference is not { OptIn: true })
        {
            return new Error(ErrorKind.Forbidden, NotOptedInCode, "Only users who opted into the Data Sharing Program may submit events.");
        }

        if (items is null || items.Count == 0)
        {
            return Error.Validation("events", "Required: 1 or more events.");
        }

        if (items.Count > options.MaxEventsPerRequest)
        {
            return Error.Validation("events", $"At most {options.MaxEventsPerRequest} events per request.");
        }

        var now = time.GetUtcNow();
        var earliest = now.AddHours(-options.RetentionHours);
        var latest = now.AddMinutes(options.MaxClockSkewMinutes);
        var errors = new FieldErrors();
        var parsed = new List<DataSharingEvent>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"events[{i}]");
            if (item is null)
            {
                errors.Add(prefix, "Required: an object with site, kind and at.");
                continue;
            }

            RegistrableDomain? site = null;
            if (!RegistrableDomain.TryParse(item.Site, out site, out var refusal))
            {
                errors.Add($"{prefix}.site", $"No countable site ({SiteRefusalText(refusal)}).");
            }

            if (!DataSharingEventKinds.TryParse(item.Kind, out var kind))
            {
                errors.Add($"{prefix}.kind", $"Must be one of: {string.Join(", ", DataSharingEventKinds.All.Order(StringComparer.Ordinal))}.");
            }

            if (item.At is not { } at)
            {
                errors.Add($"{prefix}.at", "Required: an ISO 8601 time with offset.");
            }
            else if (at < earliest || at > latest)
            {
                errors.Add($"{prefix}.at", $"Must lie within the last {options.RetentionHours} hours.");
            }

            if (site is not null && kind is not null && item.At is { } ok)
            {
                parsed.Add(new DataSharingEvent(userId, site.Value, kind.Value, ok.ToUniversalTime()));
            }
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        await events.AddAsync(tenantId, parsed, cancellationToken);
        return parsed.Count;
    }

    private static string SiteRefusalText(SiteRefusal refusal) => refusal switch
    {
        SiteRefusal.UnsupportedScheme => "only http(s) addresses and host names",
        SiteRefusal.IpAddress => "an IP address is not a site",
        SiteRefusal.SpecialUse => "a local or special-use name",
        SiteRefusal.UnlistedTopLevelDomain => "the top-level domain is not on the Public Suffix List",
        SiteRefusal.PublicSuffix => "a public suffix, not a registrable domain",
        _ => "not a host name or http(s) address",
    };
}
