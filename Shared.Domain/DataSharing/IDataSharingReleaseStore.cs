using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;

namespace Shared.Domain.DataSharing;

/// <summary>A tenant's releases (its privacy ledger) and, per user, the releases their data went into.</summary>
public interface IDataSharingReleaseStore
{
    /// <summary>Every release of the tenant, oldest day first.</summary>
    Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <summary>The tenant's release of <paramref name="day"/> (one point read); null when there is none.</summary>
    Task<DataSharingReleaseRecord?> FindAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>Stores a new release; false when the tenant already has one for that day (nothing changed).</summary>
    Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves <paramref name="reservation"/>'s spend in the tenant's ledger atomically with the monthly budget check
    /// (<see cref="BudgetReservations.Decide"/> applied to the month's ledger as it is at the write): the ledger as it was
    /// without the day, or the refusal (day released, another run's reservation in progress, budget spent).
    /// </summary>
    Task<Result<PrivacyLedger>> ReserveAsync(BudgetReservation reservation, PrivacySpend monthlyBudget, CancellationToken cancellationToken);

    /// <summary>Gives back the day's reservation if run <paramref name="runId"/> still holds it; false when it does not (taken over or never made).</summary>
    Task<bool> CancelReservationAsync(TenantId tenantId, DateOnly day, string runId, CancellationToken cancellationToken);

    Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken);

    /// <summary>Records that these users' data went into the release of <paramref name="day"/>; repeating it changes nothing.</summary>
    Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken);

    /// <summary>The users recorded as contributors of the release of <paramref name="day"/> (for crediting its sales; never exported).</summary>
    Task<IReadOnlyList<UserId>> ListContributorsAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken);

    Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
