using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.Tests.DataSharing.Privacy;

/// <summary>
/// A generated population of opted-in users for one day, with the personal data such users carry: emails, user ids,
/// extension ids, phone numbers, full page addresses (with the email and phone in their paths and queries) and feature
/// request texts (mentioning them too). Events enter the release exactly as the endpoint takes them in: the submitted
/// address reduced by <see cref="RegistrableDomain"/>, the request text by <see cref="FeatureRequestCategorizer"/>.
/// </summary>
internal sealed class GeneratedPopulation
{
    // Popular hosts (with subdomains) so that partitions with many contributors exist and rows are actually released.
    private static readonly string[] Hosts =
    [
        "docs.example.co.uk", "www.shop.com.au", "news.bbc.co.uk", "mail.google.com", "a.b.github.io", "en.wikipedia.org",
        "www.amazon.de", "m.youtube.com", "app.slack.com", "www.reddit.com",
    ];

    private static readonly string[] RequestTemplates =
    [
        "please add a dark mode, write to {0} or call {1}",
        "block the ads on this page ({0})",
        "summarize articles for me, I am {0}",
        "bigger font please, phone {1}",
        "remind me of price drops at {0}",
        "hide the sidebar",
    ];

    public GeneratedPopulation(int seed, int users, int maxEventsPerUser, DateOnly day)
    {
        var random = new Random(seed);
        Day = day;
        for (var u = 0; u < users; u++)
        {
            var userId = UserId.Parse(new Guid(random.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture)).ToString("D"));
            var email = $"person{random.Next(1_000_000)}.{u}@mailbox{random.Next(100)}.net";
            var phone = $"+44 7{random.Next(100_000_000, 999_999_999)}";
            var extensionId = new string([.. Enumerable.Range(0, 32).Select(_ => (char)('a' + random.Next(16)))]);
            Pii.Add(userId.Value);
            Pii.Add(email);
            Pii.Add(phone);
            Pii.Add(extensionId);

            // Popularity is skewed: the first hosts are visited by most users, the last by few.
            var events = random.Next(1, maxEventsPerUser + 1);
            for (var e = 0; e < events; e++)
            {
                var host = Hosts[Math.Min(Hosts.Length - 1, (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 2.5))];
                var url = $"https://{host}/users/{Uri.EscapeDataString(email)}/profile?phone={Uri.EscapeDataString(phone)}&ext={extensionId}";
                Pii.Add(url);
                var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(random.Next(86_400));
                var kind = (DataSharingEventKind)random.Next(4);
                Assert(RegistrableDomain.TryParse(url, out var site, out _));
                Events.Add(new DataSharingEvent(userId, site!.Value, kind, at));
            }

            if (random.Next(3) == 0)
            {
                var text = string.Format(CultureInfo.InvariantCulture, RequestTemplates[random.Next(RequestTemplates.Length)], email, phone);
                Pii.Add(text);
                var at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(random.Next(86_400));
                Requests.Add(new DataSharingFeatureRequest(userId, FeatureRequestCategorizer.CategorizeFeatureRequest(text), at));
            }
        }

        Exact = ExactCounts.Of(Events, Requests);
    }

    public DateOnly Day { get; }

    public List<DataSharingEvent> Events { get; } = [];

    public List<DataSharingFeatureRequest> Requests { get; } = [];

    /// <summary>Every personal string the population carries; none may appear in an export.</summary>
    public HashSet<string> Pii { get; } = [];

    public ExactCounts Exact { get; private set; } = new();

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("The generator made an address the reduction refuses.");
        }
    }
}
