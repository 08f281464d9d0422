using Shared.Domain.Marketplace;
using Xunit;

namespace Shared.Domain.Tests.Marketplace;

/// <summary>
/// The rounding of proportional reversals: each refund increment reverses the difference of two rounded-down figures,
/// so however a refund is split the reversals never add up to more than the share and a full refund reverses exactly it.
/// </summary>
public sealed class CreatorShareTests
{
    [Theory]
    [InlineData(875, 1_001, 0, 0)]
    [InlineData(875, 1_001, 1, 0)] // 0.87 → 0
    [InlineData(875, 1_001, 500, 437)] // 437.06 → 437
    [InlineData(875, 1_001, 1_000, 874)] // 874.13 → 874
    [InlineData(875, 1_001, 1_001, 875)]
    [InlineData(799, 999, 999, 799)]
    [InlineData(0, 1, 1, 0)]
    public void Reversed_rounds_down_until_the_refund_is_full(long share, long price, long refunded, long expected) =>
        Assert.Equal(expected, CreatorShare.Reversed(share, price, refunded));

    [Fact]
    public void Any_split_of_a_refund_reverses_at_most_the_share_and_exactly_it_when_full()
    {
        var random = new Random(20261123); // fixed seed: the same splits every run
        for (var price = 1L; price <= 400; price++)
        {
            foreach (var fee in new[] { 0, 1_250, 2_000, 3_333, 10_000 })
            {
                var share = CreatorShare.Of(price, fee);
                var refunded = 0L;
                var reversed = 0L;
                while (refunded < price)
                {
                    var next = Math.Min(price, refunded + random.NextInt64(1, Math.Max(2, price / 3)));
                    var increment = CreatorShare.Reversed(share, price, next) - CreatorShare.Reversed(share, price, refunded);
                    Assert.True(increment >= 0, $"price {price}, fee {fee}: a negative reversal from {refunded} to {next}");
                    reversed += increment;
                    Assert.True(reversed <= share, $"price {price}, fee {fee}: {reversed} reversed of a {share} share at {next}");
                    refunded = next;
                }

                Assert.Equal(share, reversed);
            }
        }
    }

    [Fact]
    public void Large_amounts_do_not_overflow() =>
        Assert.Equal(4_611_686_018_427_387_903L / 2, CreatorShare.Reversed(4_611_686_018_427_387_903L, long.MaxValue, long.MaxValue / 2));
}
