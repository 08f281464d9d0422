using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.FeatureRequests;

/// <summary>Feature requests, their listings and reservation releases, on both stores.</summary>
public abstract class FeatureStoreScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected static readonly InFlightLimit Limit = new(3, TimeSpan.FromHours(1));

    protected abstract Task<StoreSet> StoreAsync();

    protected static FeatureRequest NewRequest(UserId user, DateTimeOffset at, string? id = null) => new()
    {
        Id = id ?? FeatureRequest.NewId(Alpha, user, null),
        TenantId = Alpha,
        UserId = user,
        RequestText = "Add a dark mode toggle",
        Status = FeatureRequestStatus.Pending,
        Reservation = ReservationState.Reserving,
        Queue = QueueNames.AiGenerationStandard,
        CreatedAt = at,
        UpdatedAt = at,
    };

    [StoreFact]
    public async Task The_category_assigned_at_submission_is_stored_kept_through_updates_and_absent_on_older_requests()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var user = UserId.New();
        var submitted = FeatureRequest.Submit(Alpha, user, FeatureRequestText.Parse("Show me coupons at checkout"), null, Now);
        Assert.Equal(FeatureCategory.Shopping, submitted.Category);
        Assert.True(await features.TryCreateAsync(submitted, default));

        var read = await features.GetAsync(Alpha, user, submitted.Id, default);
        Assert.Equal(FeatureCategory.Shopping, read!.Category);
        var updated = await features.TryUpdateAsync(read.Reserve(QueueNames.AiGenerationStandard, Now), default);
        Assert.Equal(FeatureCategory.Shopping, (await features.GetAsync(Alpha, user, updated!.Id, default))!.Category);
        Assert.Equal(FeatureCategory.Shopping, Assert.Single(await features.ListCreatedBetweenAsync(Alpha, user, Now, Now.AddDays(1), default)).Category);

        // A request stored before categories were (NewRequest sets none) reads back without one.
        var older = NewRequest(user, Now.AddMinutes(1));
        Assert.True(await features.TryCreateAsync(older, default));
        Assert.Null((await features.GetAsync(Alpha, user, older.Id, default))!.Category);
    }

    [StoreFact]
    public async Task A_request_is_created_once_read_back_and_updated_only_from_the_version_read()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var user = UserId.New();
        var request = NewRequest(user, Now);

        Assert.True(await features.TryCreateAsync(request, default));
        Assert.False(await features.TryCreateAsync(request, default));
        var read = await features.GetAsync(Alpha, user, request.Id, default);
        Assert.NotNull(read);
        Assert.Equal(request.RequestText, read.RequestText);
        Assert.Equal(ReservationState.Reserving, read.Reservation);

        var updated = await features.TryUpdateAsync(read with { Status = FeatureRequestStatus.Completed, Reservation = ReservationState.Committed, GeneratedCode = "code", CompletedAt = Now }, default);
        Assert.NotNull(updated);
        Assert.NotEqual(read.Version, updated.Version);
        Assert.Null(await features.TryUpdateAsync(read with { Status = FeatureRequestStatus.Failed }, default)); // stale version
        var final = await features.GetAsync(Alpha, user, request.Id, default);
        Assert.Equal(FeatureRequestStatus.Completed, final!.Status);
        Assert.Equal("code", final.GeneratedCode);
        Assert.Equal(updated.Version, final.Version);

        Assert.Null(await features.GetAsync(Alpha, UserId.New(), request.Id, default)); // another user's id finds nothing
        Assert.Null(await features.GetAsync(TenantId.Parse("beta"), user, request.Id, default)); // nor another tenant
        Assert.True(await features.TryDeleteAsync(final, default));
        Assert.Null(await features.GetAsync(Alpha, user, request.Id, default));
    }

    [StoreFact]
    public async Task A_reserved_use_is_given_back_once_and_not_after_its_period_ended()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var key = RequestKey.ForReservation(Alpha, user, FeatureRequest.NewId(Alpha, user, null));
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("free"), new Allowance(10, ResetPeriod.Day), Now, Now), default);
        await store.Quotas.TryConsumeAsync(Alpha, user, null, Now, default);
        await store.Quotas.TryReserveAsync(Alpha, user, key, Limit, Now, default);

        Assert.Equal(ReleaseOutcome.Released, await store.Quotas.ReleaseAsync(Alpha, user, key, Now.AddMinutes(1), default));
        Assert.Equal(ReleaseOutcome.AlreadyReleased, await store.Quotas.ReleaseAsync(Alpha, user, key, Now.AddMinutes(2), default));
        Assert.Equal(1, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);
        Assert.Equal(ReleaseOutcome.Unknown, await store.Quotas.ReleaseAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, "fr_00000000000000000000000000000000"), Now, default));

        var late = RequestKey.ForReservation(Alpha, user, FeatureRequest.NewId(Alpha, user, "late"));
        await store.Quotas.TryReserveAsync(Alpha, user, late, Limit, Now, default);
        Assert.Equal(ReleaseOutcome.PeriodEnded, await store.Quotas.ReleaseAsync(Alpha, user, late, Now.AddDays(1), default));
        Assert.Equal(2, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task The_retry_state_is_stored_and_read_back()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var user = UserId.New();
        var created = NewRequest(user, Now);
        await features.TryCreateAsync(created, default);
        var fresh = await features.GetAsync(Alpha, user, created.Id, default);
        Assert.Equal((1, null, null), (fresh!.Round, fresh.RetryBudgetFrom, fresh.NextAttemptAt));

        var waiting = await features.TryUpdateAsync(fresh with { Round = 3, Attempts = 2, RetryBudgetFrom = Now.AddMinutes(1), NextAttemptAt = Now.AddMinutes(4) }, default);
        var read = await features.GetAsync(Alpha, user, created.Id, default);

        Assert.NotNull(waiting);
        Assert.Equal((3, 2, Now.AddMinutes(1), Now.AddMinutes(4)), (read!.Round, read.Attempts, read.RetryBudgetFrom, read.NextAttemptAt));
        var cleared = await features.TryUpdateAsync(read with { NextAttemptAt = null }, default);
        Assert.Null((await features.GetAsync(Alpha, user, created.Id, default))!.NextAttemptAt);
        Assert.NotNull(cleared);
    }

    [StoreFact]
    public async Task The_sweep_listing_leaves_out_a_request_waiting_for_a_retry_due_after_the_cutoff()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var untouched = NewRequest(UserId.New(), Now.AddMinutes(-10)) with { Reservation = ReservationState.Held };
        var waiting = NewRequest(UserId.New(), Now.AddMinutes(-10)) with { Reservation = ReservationState.Held, Round = 2, NextAttemptAt = Now.AddMinutes(2) };
        var overdue = NewRequest(UserId.New(), Now.AddMinutes(-10)) with { Reservation = ReservationState.Held, Round = 2, NextAttemptAt = Now.AddMinutes(-7) };
        var dueAtCutoff = NewRequest(UserId.New(), Now.AddMinutes(-10)) with { Reservation = ReservationState.Held, Round = 2, NextAttemptAt = Now.AddMinutes(-5) };
        foreach (var request in new[] { untouched, waiting, overdue, dueAtCutoff })
        {
            Assert.True(await features.TryCreateAsync(request, default));
        }

        var listed = await features.ListUnfinishedAsync(Alpha, Now.AddMinutes(-5), 10, default);

        Assert.Equal(new[] { untouched.Id, overdue.Id }.Order(StringComparer.Ordinal), listed.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task History_pages_newest_first_with_a_continuation_and_refuses_forged_tokens()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var user = UserId.New();
        var created = new List<FeatureRequest>();
        for (var i = 0; i < 7; i++)
        {
            var request = NewRequest(user, Now.AddMinutes(i));
            created.Add(request);
            await features.TryCreateAsync(request, default);
        }

        await features.TryCreateAsync(NewRequest(UserId.New(), Now), default); // someone else's

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await features.ListAsync(Alpha, user, 3, continuation, default);
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(r => r.Id));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(created.OrderByDescending(r => r.CreatedAt).Select(r => r.Id), seen);
        await Assert.ThrowsAsync<InvalidContinuationException>(() => features.ListAsync(Alpha, user, 3, "bm90LWEtdG9rZW4", default));
    }

    [StoreFact]
    public async Task Unfinished_requests_are_listed_per_tenant_oldest_update_first_and_created_between_per_user()
    {
        await using var store = await StoreAsync();
        var features = store.Get<IFeatureRequestStore>();
        var (first, second) = (UserId.New(), UserId.New());
        var beta = TenantId.Parse("beta");
        FeatureRequest[] requests =
        [
            NewRequest(first, Now.AddMinutes(3)) with { Status = FeatureRequestStatus.Processing },
            NewRequest(second, Now.AddMinutes(1)),
            NewRequest(first, Now) with { Status = FeatureRequestStatus.Completed, Reservation = ReservationState.Committed },
            NewRequest(second, Now.AddMinutes(2)),
            NewRequest(first, Now.AddMinutes(4)),
            NewRequest(first, Now.AddMinutes(10)), // changed too recently
        ];
        foreach (var request in requests)
        {
            Assert.True(await features.TryCreateAsync(request, default));
        }

        Assert.True(await features.TryCreateAsync(NewRequest(first, Now.AddMinutes(1)) with { TenantId = beta, Id = FeatureRequest.NewId(beta, first, null) }, default));

        var unfinished = requests.Where(r => r.Status is FeatureRequestStatus.Pending or FeatureRequestStatus.Processing && r.UpdatedAt < Now.AddMinutes(5)).OrderBy(r => r.UpdatedAt).Select(r => r.Id).ToList();
        Assert.Equal(unfinished, (await features.ListUnfinishedAsync(Alpha, Now.AddMinutes(5), 10, default)).Select(r => r.Id));
        Assert.Equal(unfinished.Take(2), (await features.ListUnfinishedAsync(Alpha, Now.AddMinutes(5), 2, default)).Select(r => r.Id));

        var created = requests.Where(r => r.UserId == first && r.CreatedAt >= Now && r.CreatedAt < Now.AddMinutes(4)).Select(r => r.Id).Order(StringComparer.Ordinal);
        Assert.Equal(created, (await features.ListCreatedBetweenAsync(Alpha, first, Now, Now.AddMinutes(4), default)).Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task The_quota_sweep_archives_each_ended_period_once_across_reruns_and_a_restart()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync();
        var users = Enumerable.Range(0, 7).Select(_ => UserId.New()).ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("free"), new Allowance(10, ResetPeriod.Day), Now, Now), default);
            for (var n = 0; n <= i; n++)
            {
                await store.Quotas.TryConsumeAsync(Alpha, user, null, Now, default);
            }
        }

        var later = Now.AddDays(1).AddHours(1);
        var tenant = new Shared.Domain.Tenants.Tenant(Alpha, "Alpha", [new Shared.Domain.Tenants.Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}");

        // A first run stops after its first batch (a restart): only some accounts are done.
        var firstBatch = await store.Quotas.ListEndedPeriodsAsync(Alpha, later, null, 3, default);
        Assert.Equal(3, firstBatch.Count);
        foreach (var user in firstBatch)
        {
            Assert.NotNull(await store.Quotas.RollOverAsync(Alpha, user, later, default));
        }

        clock.Set(later);
        var sweep = new QuotaResetSweep(store.Quotas, clock);
        Assert.Equal(4, await sweep.RunAsync(tenant, 3, default)); // the rest
        Assert.Equal(0, await sweep.RunAsync(tenant, 3, default)); // a rerun changes nothing

        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var archive = Assert.Single(await store.Get<IUsageArchive>().ListAsync(Alpha, user, default));
            Assert.Equal(i + 1, archive.Used);
            Assert.Equal(Now.Date, archive.Period.Start.UtcDateTime.Date);
            var account = await store.Quotas.GetAsync(Alpha, user, default);
            Assert.Equal(0, account!.Used);
            Assert.True(account.Period.Contains(later));
        }
    }
}
