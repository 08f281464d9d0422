using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Xunit;
using Xunit.Abstractions;

namespace Shared.Domain.Tests.DataSharing.Privacy;

/// <summary>
/// A release at the default settings from a generated population of 2,000 opted-in users, printed beside the exact
/// counts (the README and the report quote it). The assertion is statistical: every released count lies within six
/// noise standard deviations of its exact (bounded) count, which fails with probability below 10⁻⁶ per row.
/// </summary>
public sealed class ExampleReleaseTests(ITestOutputHelper output)
{
    [Fact]
    public void A_default_release_of_a_generated_population_stays_near_the_exact_counts()
    {
        var day = new DateOnly(2026, 11, 22);
        var population = new GeneratedPopulation(seed: 2026, users: 2000, maxEventsPerUser: 4, day);
        var result = PrivateReleaseBuilder.Run(PrivacyLedger.Empty(TenantId.Parse("demo")), day, population.Events, population.Requests, new DataSharingPrivacyOptions(), new SeededRandomSource(2026)).Value;

        output.WriteLine("table            partition                          exact  released");
        foreach (var row in result.Release.Rows)
        {
            var (key, exact) = row.Table switch
            {
                ReleaseTable.Sites => (row.Site!, population.Exact.Sites[row.Site!]),
                ReleaseTable.SiteCategories => ($"{row.Site} × {row.Category}", population.Exact.SiteCategories[(row.Site!, row.Category!)]),
                _ => (row.Kind!, population.Exact.Kinds[row.Kind!]),
            };
            output.WriteLine($"{ReleaseExport.TableName(row.Table),-16} {key,-34} {exact,5}  {row.Users,8}");

            var table = result.Release.Manifest.Tables.Single(t => t.Table == row.Table);
            var sigma = Math.Sqrt(new DiscreteLaplace(PositiveRational.FromDecimal(table.Epsilon).Reciprocal().Times(table.MaxPartitionsPerUser)).Variance);

            // Bounding can only lower a count, so the released value is at most exact + noise and at least (exact − dropped) + noise.
            Assert.True(row.Users <= exact + (6 * sigma), $"{key}: {row.Users} vs exact {exact}");
        }

        var unreleased = population.Exact.Sites.Where(s => result.Release.UsersOnSite(RegistrableDomain.Parse(s.Key)) is null).Select(s => $"{s.Key} ({s.Value})");
        output.WriteLine($"sites not released (exact users): {string.Join(", ", unreleased)}");
        Assert.NotEmpty(result.Release.Rows);
    }
}
