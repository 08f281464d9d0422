using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Jobs;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.FeatureRequests;

/// <summary>
/// Submissions racing under one Idempotency-Key, on both stores: whatever the interleaving, no caller gets an
/// exception (a 500), every use taken is backed by a stored request, and every answer is the one request or a clean 4xx.
/// </summary>
public abstract class FeatureSubmissionScenarios
{
    private const int Callers = 20;
    private const int Rounds = 3;

    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly PlanId Free = PlanId.Parse("free");
    private static readonly FeatureRequestText Text = FeatureRequestText.Parse("Add a dark mode toggle");

    protected abstract Task<StoreSet> StoreAsync(TimeProvider time);

    private static Tenant AlphaTenant(int limit) => new(Alpha, "Alpha", [new Plan(Free, "Free", new Allowance(limit, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}");

    private static IdempotencyKey Key(string raw) => IdempotencyKey.TryCreate(raw, out var key, out var problem) ? key : throw new ArgumentException(problem, nameof(raw));

    [StoreFact]
    public async Task Same_key_submissions_with_no_use_left_all_answer_4xx_and_leave_neither_a_use_nor_a_request()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        for (var round = 0; round < Rounds; round++)
        {
            var (user, results) = await RaceAsync(store, clock, limit: 0, Key($"zero-{round}"));
            var id = FeatureRequest.NewId(Alpha, user, $"zero-{round}");

            var answers = string.Join(", ", results.Select(r => r.IsSuccess ? $"accepted {r.Value.Request.Reservation}" : r.Error!.Code));
            Assert.True(results.All(r => !r.IsSuccess && r.Error!.Code is "quota_exceeded" or ReserveFeatureRequest.ConcurrentSubmissionCode), $"Round {round}: {answers}");
            Assert.True(results.Any(r => r.Error!.Code == "quota_exceeded"), $"Round {round}: {answers}");
            Assert.Null(await store.Get<IFeatureRequestStore>().GetAsync(Alpha, user, id, default));
            var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
            Assert.Equal(0, account.Used);
            Assert.Equal(0, account.InFlight(Now, TimeSpan.FromHours(1)));
        }
    }

    [StoreFact]
    public async Task Same_key_submissions_with_one_use_left_all_answer_the_one_request_holding_the_one_use()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        for (var round = 0; round < Rounds; round++)
        {
            var (user, results) = await RaceAsync(store, clock, limit: 1, Key($"one-{round}"));
            var id = FeatureRequest.NewId(Alpha, user, $"one-{round}");

            var answers = string.Join(", ", results.Select(r => r.IsSuccess ? r.Value.Request.Id : r.Error!.Code));
            Assert.True(results.All(r => r.IsSuccess && r.Value.Request.Id == id), $"Round {round}, expecting {id}: {answers}");
            Assert.Equal(ReservationState.Held, (await store.Get<IFeatureRequestStore>().GetAsync(Alpha, user, id, default))!.Reservation);
            var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
            Assert.Equal(1, account.Used);
            Assert.Equal(1, account.InFlight(Now, TimeSpan.FromHours(1)));
        }
    }

    [StoreFact]
    public async Task A_request_removed_after_its_use_was_taken_gives_the_use_back_and_answers_409()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var features = store.Get<IFeatureRequestStore>();
        var user = await UserAsync(store, limit: 5);

        // The interleaving a concurrent same-key submission that found no use left produces: it removes the request
        // between this reservation's use and its write of the held request.
        var vanishing = new VanishingStore(features);
        var reserve = new ReserveFeatureRequest(vanishing, store.Quotas, store.Get<FeatureOptions>(), clock);
        var submit = new SubmitFeatureRequest(vanishing, reserve, new SendFeatureJob(new SentJobs(), clock), clock);

        var result = await submit.HandleAsync(AlphaTenant(5), user, Text, Key("vanishing"), default);

        Assert.Equal((ErrorKind.Conflict, ReserveFeatureRequest.ConcurrentSubmissionCode), (result.Error!.Kind, result.Error.Code));
        Assert.Equal(1, vanishing.Removed);
        Assert.Null(await features.GetAsync(Alpha, user, FeatureRequest.NewId(Alpha, user, "vanishing"), default));
        var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(0, account.Used);
        Assert.Equal(0, account.InFlight(Now, TimeSpan.FromHours(1)));

        // The client's retry with the same key is served as a fresh submission.
        var retried = await Submission(store, clock).HandleAsync(AlphaTenant(5), user, Text, Key("vanishing"), default);
        Assert.Equal(ReservationState.Held, retried.Value.Request.Reservation);
        Assert.Equal(1, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task A_request_is_removed_only_from_the_version_read()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var features = store.Get<IFeatureRequestStore>();
        var user = UserId.New();
        var created = FeatureRequest.Submit(Alpha, user, Text, null, Now);
        Assert.True(await features.TryCreateAsync(created, default));
        var read = (await features.GetAsync(Alpha, user, created.Id, default))!;
        var held = (await features.TryUpdateAsync(read.Reserve("q", Now), default))!;

        Assert.False(await features.TryDeleteAsync(read, default)); // changed since it was read
        Assert.NotNull(await features.GetAsync(Alpha, user, created.Id, default));
        Assert.True(await features.TryDeleteAsync(held, default));
        Assert.Null(await features.GetAsync(Alpha, user, created.Id, default));
        Assert.False(await features.TryDeleteAsync(held, default)); // gone already
    }

    private static async Task<UserId> UserAsync(StoreSet store, int limit)
    {
        var user = UserId.New();
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, Free, new Allowance(limit, ResetPeriod.Day), Now, Now), default);
        return user;
    }

    /// <summary>The submission over this store, its jobs kept in memory (sending is not what these scenarios are about).</summary>
    private static SubmitFeatureRequest Submission(StoreSet store, TimeProvider time) =>
        new(store.Get<IFeatureRequestStore>(), store.Get<ReserveFeatureRequest>(), new SendFeatureJob(new SentJobs(), time), time);

    private static async Task<(UserId User, Result<SubmittedFeatureRequest>[] Results)> RaceAsync(StoreSet store, TimeProvider time, int limit, IdempotencyKey key)
    {
        var user = await UserAsync(store, limit);
        var submit = Submission(store, time);
        var tenant = AlphaTenant(limit);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await submit.HandleAsync(tenant, user, Text, key, default);
        })).ToList();
        start.SetResult();

        // An exception from any caller fails the test here: over HTTP it would have been a 500.
        return (user, await Task.WhenAll(callers));
    }

    private sealed class SentJobs : IJobQueue
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<JobMessage> _sent = new();

        public Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken)
        {
            foreach (var message in messages)
            {
                _sent.Enqueue(message);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Removes the request (from the version it holds) just before the first conditional write of it.</summary>
    private sealed class VanishingStore(IFeatureRequestStore inner) : IFeatureRequestStore
    {
        public int Removed { get; private set; }

        public Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken) => inner.TryCreateAsync(request, cancellationToken);

        public Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken) => inner.GetAsync(tenantId, userId, id, cancellationToken);

        public async Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken)
        {
            if (Removed == 0 && await inner.GetAsync(updated.TenantId, updated.UserId, updated.Id, cancellationToken) is { } current && await inner.TryDeleteAsync(current, cancellationToken))
            {
                Removed++;
            }

            return await inner.TryUpdateAsync(updated, cancellationToken);
        }

        public Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken) => inner.TryDeleteAsync(request, cancellationToken);

        public Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken) => inner.ListAsync(tenantId, userId, max, continuation, cancellationToken);

        public Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken) => inner.ListUnfinishedAsync(tenantId, updatedBefore, max, cancellationToken);

        public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => inner.ListCreatedBetweenAsync(tenantId, userId, from, to, cancellationToken);
    }
}
