namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// Contribution bounding: each user counts at most once in a partition and in at most L partitions of a table, so one
/// person's influence on the release is known in advance (the sensitivity the noise is calibrated to). A user with more
/// than L partitions keeps L of them chosen uniformly at random (a partial Fisher–Yates shuffle with the release's
/// random source): choosing by any rule that depends on other users' data would break the bound's guarantee.
/// </summary>
public static class ContributionBounder
{
    /// <summary>
    /// Per user, the distinct partitions kept (at most <paramref name="maxPartitionsPerUser"/>). Users and partitions are
    /// processed in ordinal order of their keys, so a seeded source gives the same result whatever the input order.
    /// </summary>
    public static IReadOnlyDictionary<TUser, IReadOnlyList<TPartition>> Bound<TUser, TPartition>(
        IEnumerable<(TUser User, TPartition Partition)> contributions,
        int maxPartitionsPerUser,
        Func<TUser, string> userOrder,
        Func<TPartition, string> partitionOrder,
        IRandomSource random)
        where TUser : notnull
        where TPartition : notnull
    {
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPartitionsPerUser, 1);
        var byUser = new Dictionary<TUser, HashSet<TPartition>>();
        foreach (var (user, partition) in contributions)
        {
            if (!byUser.TryGetValue(user, out var partitions))
            {
                partitions = [];
                byUser[user] = partitions;
            }

            partitions.Add(partition);
        }

        var kept = new Dictionary<TUser, IReadOnlyList<TPartition>>();
        foreach (var (user, partitions) in byUser.OrderBy(p => userOrder(p.Key), StringComparer.Ordinal))
        {
            var ordered = partitions.OrderBy(partitionOrder, StringComparer.Ordinal).ToArray();
            kept[user] = SampleWithoutReplacement(ordered, maxPartitionsPerUser, random);
        }

        return kept;
    }

    /// <summary>A uniformly random subset of size min(<paramref name="count"/>, n) of <paramref name="items"/> (which it reorders).</summary>
    public static IReadOnlyList<T> SampleWithoutReplacement<T>(T[] items, int count, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(random);
        if (items.Length <= count)
        {
            return items;
        }

        for (var i = 0; i < count; i++)
        {
            var j = i + (int)random.NextInt64(items.Length - i);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items[..count];
    }
}
