using Shared.Domain.Common;

namespace Shared.Domain.DataSharing;

/// <summary>AskDunzo's Data Sharing Program: a user's consent and the share of profits they chose (50 or 100 %).</summary>
public sealed record DataSharingPreference(TenantId TenantId, UserId UserId, bool OptIn, int ProfitSplit, DateTimeOffset UpdatedAt)
{
    public static readonly IReadOnlyList<int> AllowedSplits = [50, 100];
}

public interface IDataSharingStore
{
    Task SetAsync(DataSharingPreference preference, CancellationToken cancellationToken);

    Task<DataSharingPreference?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Users of the tenant who opted in, by user id, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<UserId>> ListOptedInAsync(TenantId tenantId, UserId? after, int max, CancellationToken cancellationToken);
}

/// <summary>
/// One aggregate of a day's activity of opted-in users: a metric, a dimension value from a closed vocabulary, how many
/// events and how many distinct (pseudonymous) contributors. No identifier, address or free text is ever part of it.
/// </summary>
public sealed record InsightRow(TenantId TenantId, DateOnly Day, string Metric, string Dimension, int Events, int Contributors);

/// <summary>Where anonymized aggregates are kept: apart from user data (its own container or table).</summary>
public interface IInsightStore
{
    Task<bool> IsDayDoneAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Stores the day's rows and marks the day done; rows have deterministic ids, so repeating a half-done save converges.</summary>
    Task SaveDayAsync(TenantId tenantId, DateOnly day, IReadOnlyList<InsightRow> rows, CancellationToken cancellationToken);

    Task<IReadOnlyList<InsightRow>> ListAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);
}

public sealed class AnonymizationOptions
{
    /// <summary>Groups with fewer distinct contributors than this are suppressed (k-anonymity).</summary>
    public int K { get; set; } = 10;

    public int BatchSize { get; set; } = 200;
}

public sealed record DataSharingResult(bool OptIn, int ProfitSplit);

/// <summary>The opt-in endpoint's logic.</summary>
public sealed class DataSharingHandler(IDataSharingStore store, TimeProvider time)
{
    public async Task<Result<DataSharingResult>> SetAsync(TenantId tenantId, UserId userId, bool? optIn, int? profitSplit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (optIn is null)
        {
            errors.Add("opt_in", "Required: true or false.");
        }

        var existing = await store.GetAsync(tenantId, userId, cancellationToken);
        var split = profitSplit ?? existing?.ProfitSplit ?? 50;
        if (!DataSharingPreference.AllowedSplits.Contains(split))
        {
            errors.Add("profit_split", "Must be 50 or 100.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        await store.SetAsync(new DataSharingPreference(tenantId, userId, optIn!.Value, split, time.GetUtcNow()), cancellationToken);
        return new DataSharingResult(optIn.Value, split);
    }
}
