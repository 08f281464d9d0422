using Shared.Domain.Common;
using Shared.Domain.Invoices;
using Shared.Domain.Privacy;
using Shared.Domain.Wallets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Wallets;

/// <summary>
/// Wallets on both stores: concurrent debits and holds never overdraw and the ledger always sums to the balance;
/// idempotent replays; hold → settle/release; refunds take back what is left; erasure keeps the ledger de-identified.
/// </summary>
public abstract class WalletScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static WalletKey NewWallet(WalletKind kind = WalletKind.Money) => new(Alpha, UserId.New(), kind);

    /// <summary>Every entry of the wallet, oldest first, read through the paging API (page size 7 to cross pages).</summary>
    private static async Task<List<LedgerEntry>> AllEntriesAsync(IWalletStore store, WalletKey wallet)
    {
        var all = new List<LedgerEntry>();
        long? before = null;
        for (var page = 0; page < 1000; page++)
        {
            var entries = await store.ListEntriesAsync(wallet, before, 7, default);
            all.AddRange(entries);
            if (entries.Count < 7)
            {
                break;
            }

            before = entries[^1].Sequence;
        }

        all.Reverse();
        return all;
    }

    /// <summary>The ledger and the balance agree: amounts sum to the balance, held deltas to what is held, sequences have no gap, each entry's running totals hold.</summary>
    private static async Task AssertConsistentAsync(IWalletStore store, WalletKey wallet)
    {
        var balance = await store.GetBalanceAsync(wallet, default);
        var entries = await AllEntriesAsync(store, wallet);
        Assert.Equal(balance.Balance, entries.Sum(e => e.Amount));
        Assert.Equal(balance.Held, entries.Sum(e => e.HeldDelta));
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        long running = 0, held = 0;
        foreach (var e in entries)
        {
            running += e.Amount;
            held += e.HeldDelta;
            Assert.Equal(running, e.BalanceAfter);
            Assert.Equal(held, e.HeldAfter);
            Assert.InRange(running, 0, long.MaxValue);
            Assert.InRange(held, 0, running);
        }

        Assert.Equal(entries.Count, entries.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
    }

    [StoreFact]
    public async Task Twenty_concurrent_debits_beyond_the_balance_succeed_only_while_they_fit()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();
        Assert.True((await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up-1", "pi_1", default)).Value.Succeeded);

        // 20 × 70 = 1,400 asked of 1,000: exactly 14 fit.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => wallets.DebitAsync(wallet, LedgerEntryKind.Purchase, 70, $"debit-{i}", null, default)));

        Assert.Equal(14, results.Count(r => r.Value.Outcome == WalletOutcome.Applied));
        Assert.Equal(6, results.Count(r => r.Value.Outcome == WalletOutcome.InsufficientFunds));
        Assert.All(results.Where(r => r.Value.Outcome == WalletOutcome.InsufficientFunds), r => Assert.Empty(r.Value.Entries));
        Assert.Equal(new WalletBalance(20, 0), await store.GetBalanceAsync(wallet, default));
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task Twenty_concurrent_holds_and_debits_never_take_more_than_is_available()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();
        await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 500, "top-up-1", null, default);

        // Holds of 60 and debits of 40, alternating: 10 × 60 + 10 × 40 = 1,000 asked of 500.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? wallets.HoldAsync(wallet, 60, $"campaign-{i}", $"campaign:{i}", default)
            : wallets.DebitAsync(wallet, LedgerEntryKind.Charge, 40, $"charge-{i}", null, default)));

        var applied = results.Where(r => r.Value.Outcome == WalletOutcome.Applied).ToList();
        Assert.All(results, r => Assert.True(r.Value.Outcome is WalletOutcome.Applied or WalletOutcome.InsufficientFunds, r.Value.Outcome.ToString()));
        var heldTotal = applied.SelectMany(r => r.Value.Entries).Where(e => e.Kind == LedgerEntryKind.Hold).Sum(e => e.HeldDelta);
        var charged = -applied.SelectMany(r => r.Value.Entries).Where(e => e.Kind == LedgerEntryKind.Charge).Sum(e => e.Amount);
        var balance = await store.GetBalanceAsync(wallet, default);
        Assert.Equal(500 - charged, balance.Balance);
        Assert.Equal(heldTotal, balance.Held);
        Assert.InRange(balance.Available, 0, 39); // no refused request would have fitted at the end (the smallest is 40)
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task A_replay_returns_the_original_entry_and_a_different_amount_under_the_same_key_is_refused()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();

        var first = (await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 300, "top-up-1", "cs_1", default)).Value;
        var replays = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 300, "top-up-1", "cs_1", default)));
        var different = (await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 301, "top-up-1", "cs_1", default)).Value;
        var otherKind = (await wallets.DebitAsync(wallet, LedgerEntryKind.Purchase, 300, "top-up-1", null, default)).Value;

        Assert.Equal(WalletOutcome.Applied, first.Outcome);
        Assert.All(replays, r => Assert.Equal(WalletOutcome.Replayed, r.Value.Outcome));
        Assert.All(replays, r => Assert.Equal(first.Entries[0], Assert.Single(r.Value.Entries)));
        Assert.Equal(WalletOutcome.IdempotencyConflict, different.Outcome);
        Assert.Equal(WalletOutcome.IdempotencyConflict, otherKind.Outcome);
        Assert.Equal(new WalletBalance(300, 0), await store.GetBalanceAsync(wallet, default));
        Assert.Single(await AllEntriesAsync(store, wallet));

        // The same key in another wallet (another owner, or the same owner's credits) is another operation.
        Assert.Equal(WalletOutcome.Applied, (await wallets.CreditAsync(wallet with { Kind = WalletKind.Credits }, LedgerEntryKind.TopUp, 301, "top-up-1", null, default)).Value.Outcome);
        Assert.Equal(WalletOutcome.Applied, (await wallets.CreditAsync(NewWallet(), LedgerEntryKind.TopUp, 301, "top-up-1", null, default)).Value.Outcome);
        Assert.Equal(new WalletBalance(300, 0), await store.GetBalanceAsync(wallet, default));
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task A_hold_settles_once_into_a_charge_and_a_release_of_the_rest()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();
        await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up-1", null, default);

        Assert.Equal(WalletOutcome.Applied, (await wallets.HoldAsync(wallet, 800, "campaign-a", "campaign:a", default)).Value.Outcome);
        Assert.Equal(new WalletBalance(1_000, 800), await store.GetBalanceAsync(wallet, default));
        Assert.Equal(WalletOutcome.InsufficientFunds, (await wallets.DebitAsync(wallet, LedgerEntryKind.Purchase, 201, "buy-1", null, default)).Value.Outcome);
        Assert.Equal(WalletOutcome.Replayed, (await wallets.HoldAsync(wallet, 800, "campaign-a", "campaign:a", default)).Value.Outcome);
        Assert.Equal(WalletOutcome.ExceedsHold, (await wallets.SettleAsync(wallet, "campaign-a", 801, null, default)).Value.Outcome);
        Assert.Equal(WalletOutcome.HoldNotFound, (await wallets.SettleAsync(wallet, "campaign-x", 1, null, default)).Value.Outcome);

        // Settled concurrently five times (redelivery): one charge of 530 and one release of 270.
        var settles = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => wallets.SettleAsync(wallet, "campaign-a", 530, "campaign:a", default)));
        Assert.Single(settles, s => s.Value.Outcome == WalletOutcome.Applied);
        Assert.All(settles, s => Assert.Equal([LedgerEntryKind.Charge, LedgerEntryKind.Release], s.Value.Entries.Select(e => e.Kind)));
        Assert.All(settles, s => Assert.Equal([-530L, 0L], s.Value.Entries.Select(e => e.Amount)));
        Assert.All(settles, s => Assert.Equal([-530L, -270L], s.Value.Entries.Select(e => e.HeldDelta)));
        Assert.Equal(WalletOutcome.IdempotencyConflict, (await wallets.SettleAsync(wallet, "campaign-a", 500, null, default)).Value.Outcome);
        Assert.Equal(WalletOutcome.IdempotencyConflict, (await wallets.ReleaseAsync(wallet, "campaign-a", null, default)).Value.Outcome);
        Assert.Equal(new WalletBalance(470, 0), await store.GetBalanceAsync(wallet, default));

        // A hold released whole: one release entry, nothing charged.
        await wallets.HoldAsync(wallet, 400, "campaign-b", null, default);
        var released = (await wallets.ReleaseAsync(wallet, "campaign-b", null, default)).Value;
        Assert.Equal(LedgerEntryKind.Release, Assert.Single(released.Entries).Kind);
        Assert.Equal(WalletOutcome.Replayed, (await wallets.ReleaseAsync(wallet, "campaign-b", null, default)).Value.Outcome);
        Assert.Equal(new WalletBalance(470, 0), await store.GetBalanceAsync(wallet, default));
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task A_refund_after_partial_spend_takes_back_what_is_left_and_records_the_shortfall()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();
        await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up-1", "ch_1", default);
        await wallets.DebitAsync(wallet, LedgerEntryKind.Purchase, 650, "buy-1", null, default);
        await wallets.HoldAsync(wallet, 100, "campaign-a", null, default);

        var refund = (await wallets.RefundPaymentAsync(wallet, "ch_1", 1_000, default)).Value;
        var replay = (await wallets.RefundPaymentAsync(wallet, "ch_1", 1_000, default)).Value;

        var entry = Assert.Single(refund.Entries);
        Assert.Equal(-250, entry.Amount); // 1,000 − 650 spent − 100 held
        Assert.Equal(750, entry.Shortfall);
        Assert.Equal(WalletOutcome.Replayed, replay.Outcome);
        Assert.Equal(entry, Assert.Single(replay.Entries));
        Assert.Equal(new WalletBalance(100, 100), await store.GetBalanceAsync(wallet, default));

        // Nothing left: a refund of another payment takes nothing, and says so.
        var empty = Assert.Single((await wallets.RefundPaymentAsync(wallet, "ch_2", 50, default)).Value.Entries);
        Assert.Equal(0, empty.Amount);
        Assert.Equal(50, empty.Shortfall);
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task Partial_refund_events_out_of_order_and_repeated_take_back_the_cumulative_amount_once()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var wallet = NewWallet();
        await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 1_000, "top-up-1", "ch_1", default);

        // Stripe's charge.refunded carries the cumulative amount: 300, then 800; delivered 800 first, each twice.
        var outcomes = new List<WalletOutcome>();
        foreach (var cumulative in new long[] { 800, 800, 300, 300 })
        {
            outcomes.Add((await wallets.RefundPaymentAsync(wallet, "ch_1", cumulative, default)).Value.Outcome);
        }

        Assert.Equal([WalletOutcome.Applied, WalletOutcome.Replayed, WalletOutcome.Superseded, WalletOutcome.Superseded], outcomes);
        Assert.Equal(new WalletBalance(200, 0), await store.GetBalanceAsync(wallet, default));
        Assert.Equal(WalletOutcome.Applied, (await wallets.RefundPaymentAsync(wallet, "ch_1", 1_000, default)).Value.Outcome);
        Assert.Equal(new WalletBalance(0, 0), await store.GetBalanceAsync(wallet, default));
        await AssertConsistentAsync(store, wallet);
    }

    [StoreFact]
    public async Task Bad_amounts_and_keys_write_nothing()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var wallet = NewWallet();

        Assert.Equal("validation_failed", (await wallets.CreditAsync(wallet, LedgerEntryKind.TopUp, 0, "k", null, default)).Error!.Code);
        Assert.Equal("validation_failed", (await wallets.DebitAsync(wallet, LedgerEntryKind.Purchase, -5, "k", null, default)).Error!.Code);
        Assert.Equal("validation_failed", (await wallets.HoldAsync(wallet, 5, "", null, default)).Error!.Code);
        Assert.Equal("validation_failed", (await wallets.CreditAsync(wallet, LedgerEntryKind.Charge, 5, "k", null, default)).Error!.Code);
        Assert.Equal("validation_failed", (await wallets.DebitAsync(wallet, LedgerEntryKind.TopUp, 5, "k", null, default)).Error!.Code);
        Assert.Equal(WalletBalance.Empty, await wallets.GetBalanceAsync(wallet, default));
        Assert.Empty(await set.Get<IWalletStore>().ListEntriesAsync(wallet, null, 10, default));
    }

    [StoreFact]
    public async Task Erasure_keeps_the_ledger_de_identified_and_leaves_other_users_alone()
    {
        await using var set = await StoreAsync(new ManualTimeProvider(Now));
        var wallets = set.Get<WalletService>();
        var store = set.Get<IWalletStore>();
        var erased = NewWallet();
        var other = NewWallet();
        await wallets.CreditAsync(erased, LedgerEntryKind.TopUp, 300, "t1", "cs_1", default);
        await wallets.DebitAsync(erased, LedgerEntryKind.Purchase, 100, "p1", null, default);
        await wallets.CreditAsync(erased with { Kind = WalletKind.Credits }, LedgerEntryKind.TopUp, 5, "t1", null, default);
        await wallets.CreditAsync(other, LedgerEntryKind.TopUp, 70, "t1", null, default);
        var personal = set.Get<IEnumerable<IPersonalDataStore>>().Single(p => p.Section == "wallets");

        var export = await personal.ExportAsync(Alpha, erased.UserId, default);
        Assert.Equal(5, export.Records.Count); // two wallets, three entries (SQLite: and no open hold)

        var invoice = (await new IssueInvoice(set.Get<IInvoiceStore>(), new NoTax(), new ManualTimeProvider(Now)).IssueAsync(new InvoiceRequest(Alpha, erased.UserId, InvoiceSourceKind.TopUp, "t1", 300, "USD", [new InvoiceLine("Top-up", 1, 300, 300)]), default)).Value;

        Assert.Equal(5, await personal.EraseAsync(Alpha, erased.UserId, default));
        Assert.Equal(0, await personal.EraseAsync(Alpha, erased.UserId, default));
        Assert.Equal(1, await set.Get<IEnumerable<IPersonalDataStore>>().Single(p => p.Section == "invoices").EraseAsync(Alpha, erased.UserId, default));

        // The financial records stay, under the user's one pseudonym (both wallets, and the same one their invoice
        // got), amounts and running totals unchanged.
        var pseudonym = ErasedUserKey.PseudonymOf(Alpha, erased.UserId);
        Assert.Equal(pseudonym.Value, (await set.Get<IInvoiceStore>().GetAsync(Alpha, invoice.Number, default))!.OwnerId);
        var kept = new WalletKey(Alpha, pseudonym, WalletKind.Money);
        Assert.Equal(new WalletBalance(200, 0), await store.GetBalanceAsync(kept, default));
        Assert.Equal([300L, -100L], (await AllEntriesAsync(store, kept)).Select(e => e.Amount));
        await AssertConsistentAsync(store, kept);
        Assert.Equal([5L], (await AllEntriesAsync(store, kept with { Kind = WalletKind.Credits })).Select(e => e.Amount));
        Assert.Equal(new WalletBalance(5, 0), await store.GetBalanceAsync(kept with { Kind = WalletKind.Credits }, default));

        Assert.Empty((await personal.ExportAsync(Alpha, erased.UserId, default)).Records);
        Assert.Equal(WalletBalance.Empty, await store.GetBalanceAsync(erased, default));
        Assert.Empty(await store.ListEntriesAsync(erased, null, 10, default));
        Assert.Equal(new WalletBalance(70, 0), await store.GetBalanceAsync(other, default));
        Assert.Single((await personal.ExportAsync(Alpha, other.UserId, default)).Records, r => r.Kind == "wallet_entry");
    }

    private sealed class NoTax : IInvoiceSettingsSource
    {
        public InvoiceTax? FindTax(TenantId tenantId) => null;
    }
}
