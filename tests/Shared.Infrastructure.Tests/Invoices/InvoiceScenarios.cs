using Shared.Domain.Common;
using Shared.Domain.Invoices;
using Shared.Domain.Privacy;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Invoices;

/// <summary>
/// Invoices on both stores through the issuer campaign settlement and top-ups call: numbers gapless and unique under
/// concurrency, one invoice per source however often and concurrently it is issued, tax split per tenant, a new
/// sequence each year, tenants apart, listing by owner with paging, and erasure keeping invoices de-identified.
/// </summary>
public abstract class InvoiceScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static IssueInvoice Issuer(StoreSet set, TimeProvider time, InvoiceTax? tax = null) => new(set.Get<IInvoiceStore>(), new FixedTax(tax), time);

    private static InvoiceRequest Request(TenantId tenant, UserId owner, string reference, long amount = 1_000, InvoiceSourceKind kind = InvoiceSourceKind.Campaign) =>
        new(tenant, owner, kind, reference, amount, "INR", [new InvoiceLine("WhatsApp messages", amount / 10, 10, amount)]);

    [StoreFact]
    public async Task Concurrent_issues_get_gapless_unique_numbers_and_one_invoice_per_source()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var set = await StoreAsync(clock);
        var issuer = Issuer(set, clock);
        var owner = UserId.New();

        // 30 sources, each issued twice at once (a redelivered settlement): 30 invoices, numbered 1..30 without a gap.
        var sources = Enumerable.Range(0, 30).Select(i => $"campaign-{i}").ToList();
        var results = await Task.WhenAll(sources.Concat(sources).Select(s => Task.Run(() => issuer.IssueAsync(Request(Alpha, owner, s), default))));
        Assert.All(results, r => Assert.True(r.IsSuccess));
        var bySource = results.GroupBy(r => r.Value.SourceReference).ToList();
        Assert.Equal(30, bySource.Count);
        Assert.All(bySource, g => Assert.Single(g.Select(r => r.Value.Number).Distinct()));
        var numbers = bySource.Select(g => g.First().Value.Sequence).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), numbers);
        Assert.Equal("INV-2026-000001", bySource.Select(g => g.First().Value.Number).Order(StringComparer.Ordinal).First());

        // Another tenant has its own sequence; a new year starts a new one.
        Assert.Equal("INV-2026-000001", (await issuer.IssueAsync(Request(Beta, UserId.New(), "campaign-0"), default)).Value.Number);
        clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal("INV-2027-000001", (await issuer.IssueAsync(Request(Alpha, owner, "campaign-new-year"), default)).Value.Number);
        Assert.Equal("INV-2026-000031", (await Issuer(set, new ManualTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero))).IssueAsync(Request(Alpha, owner, "late-2026"), default)).Value.Number);

        // The same source again later answers the first invoice, whatever else the request says.
        var again = await issuer.IssueAsync(Request(Alpha, owner, "campaign-7", amount: 5_000), default);
        Assert.Equal(1_000, again.Value.Total);
        Assert.Equal(bySource.Single(g => g.Key == "campaign-7").First().Value.Number, again.Value.Number);

        // Listing: the owner's invoices, newest first, across pages.
        var store = set.Get<IInvoiceStore>();
        var listed = new List<Invoice>();
        string? before = null;
        for (var page = 0; page < 10; page++)
        {
            var items = await store.ListAsync(Alpha, owner, before, 7, default);
            listed.AddRange(items);
            if (items.Count < 7)
            {
                break;
            }

            before = items[^1].OrderKey;
        }

        Assert.Equal(32, listed.Count);
        Assert.Equal("INV-2027-000001", listed[0].Number);
        Assert.Equal(listed.Select(i => i.OrderKey).OrderDescending(StringComparer.Ordinal), listed.Select(i => i.OrderKey));
        Assert.Empty(await store.ListAsync(Alpha, UserId.New(), null, 7, default));
        Assert.Null(await store.GetAsync(Beta, listed[0].Number, default));
    }

    [StoreFact]
    public async Task The_history_pages_with_an_opaque_continuation_and_refuses_one_it_did_not_issue()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var set = await StoreAsync(clock);
        var issuer = Issuer(set, clock);
        var owner = UserId.New();
        var issued = new List<string>();
        for (var i = 0; i < InvoiceHistory.PageSize + 2; i++)
        {
            issued.Add((await issuer.IssueAsync(Request(Alpha, owner, $"h-{i}"), default)).Value.Number);
        }

        await issuer.IssueAsync(Request(Alpha, UserId.New(), "someone-else"), default);
        var history = new InvoiceHistory(set.Get<IInvoiceStore>());
        var first = (await history.ListAsync(Alpha, owner, null, default)).Value;
        Assert.Equal(InvoiceHistory.PageSize, first.Items.Count);
        Assert.NotNull(first.Continuation);
        Assert.DoesNotMatch("^[0-9]+$", first.Continuation); // not the store's order key
        Assert.DoesNotContain(first.Items[^1].OrderKey, first.Continuation, StringComparison.Ordinal);
        var second = (await history.ListAsync(Alpha, owner, first.Continuation, default)).Value;
        Assert.Null(second.Continuation);
        Assert.Equal(Enumerable.Reverse(issued), first.Items.Concat(second.Items).Select(i => i.Number));
        Assert.Equal(first.Items.Select(i => i.Number), (await history.ListAsync(Alpha, owner, "", default)).Value.Items.Select(i => i.Number));

        // Garbled or forged: the raw order key the list used to answer, not base64, another list's or version's text.
        foreach (var bad in new[] { first.Items[^1].OrderKey, "not base64!", ContinuationText.Encode("i1:abc"), ContinuationText.Encode("i1:2026-00000001"), ContinuationText.Encode("x1:" + first.Items[^1].OrderKey), ContinuationText.Encode("ra1:" + first.Items[^1].OrderKey), new string('A', 200) })
        {
            var refused = await history.ListAsync(Alpha, owner, bad, default);
            Assert.Equal("invalid_continuation", refused.Error?.Code);
        }

        // An owner with exactly one page gets no continuation.
        var few = UserId.New();
        await issuer.IssueAsync(Request(Alpha, few, "f-1"), default);
        Assert.Null((await history.ListAsync(Alpha, few, null, default)).Value.Continuation);
    }

    [StoreFact]
    public async Task Tax_is_split_from_the_total_as_configured_and_none_by_default()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var set = await StoreAsync(clock);
        var gst = await Issuer(set, clock, new InvoiceTax("GST", 1_800, "29ABCDE1234F1Z5")).IssueAsync(Request(Alpha, UserId.New(), "gst-1", 11_800), default);
        Assert.Equal((10_000L, 1_800L, 11_800L, "GST", 1_800, "29ABCDE1234F1Z5"), (gst.Value.Net, gst.Value.TaxAmount, gst.Value.Total, gst.Value.TaxName, gst.Value.TaxRateBasisPoints, gst.Value.SellerTaxId));
        var stored = await set.Get<IInvoiceStore>().GetAsync(Alpha, gst.Value.Number, default);
        Assert.Equal(gst.Value with { Lines = stored!.Lines }, stored);
        Assert.Equal(gst.Value.Lines, stored.Lines);

        var plain = await Issuer(set, clock).IssueAsync(Request(Alpha, UserId.New(), "plain-1", 990), default);
        Assert.Equal((990L, 0L, 990L, (string?)null), (plain.Value.Net, plain.Value.TaxAmount, plain.Value.Total, plain.Value.TaxName));
    }

    [StoreFact]
    public async Task Bad_requests_are_refused_and_take_no_number()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var set = await StoreAsync(clock);
        var issuer = Issuer(set, clock);
        var owner = UserId.New();
        InvoiceRequest[] bad =
        [
            Request(Alpha, owner, "x", amount: 0),
            Request(Alpha, owner, "") ,
            Request(Alpha, owner, new string('r', 201)),
            Request(Alpha, owner, "x") with { Currency = "inr" },
            Request(Alpha, owner, "x") with { Lines = [] },
            Request(Alpha, owner, "x") with { Lines = [new InvoiceLine("Messages", 3, 10, 31)] },
            Request(Alpha, owner, "x") with { Amount = 999 },
        ];
        foreach (var request in bad)
        {
            var result = await issuer.IssueAsync(request, default);
            Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        }

        Assert.Equal("INV-2026-000001", (await issuer.IssueAsync(Request(Alpha, owner, "good"), default)).Value.Number);
    }

    [StoreFact]
    public async Task Erasure_keeps_invoices_de_identified()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var set = await StoreAsync(clock);
        var owner = UserId.New();
        var other = UserId.New();
        var issuer = Issuer(set, clock);
        var first = (await issuer.IssueAsync(Request(Alpha, owner, "c-1"), default)).Value;
        await issuer.IssueAsync(Request(Alpha, owner, "c-2"), default);
        await issuer.IssueAsync(Request(Alpha, other, "c-3"), default);
        var personal = set.Get<IEnumerable<IPersonalDataStore>>().Single(p => p.Section == "invoices");
        Assert.Equal(2, (await personal.ExportAsync(Alpha, owner, default)).Records.Count);

        Assert.Equal(2, await personal.EraseAsync(Alpha, owner, default));
        Assert.Equal(0, await personal.EraseAsync(Alpha, owner, default));
        Assert.Empty((await personal.ExportAsync(Alpha, owner, default)).Records);
        var store = set.Get<IInvoiceStore>();
        Assert.Empty(await store.ListAsync(Alpha, owner, null, 10, default));
        var kept = await store.GetAsync(Alpha, first.Number, default);
        Assert.Equal(ErasedUserKey.PseudonymOf(Alpha, owner).Value, kept!.OwnerId); // the user's one pseudonym, as in every store
        Assert.Equal(2, (await store.ListAsync(Alpha, ErasedUserKey.PseudonymOf(Alpha, owner), null, 10, default)).Count);
        Assert.Equal((first.Total, first.SourceReference), (kept.Total, kept.SourceReference));
        Assert.Single(await store.ListAsync(Alpha, other, null, 10, default));
    }

    private sealed class FixedTax(InvoiceTax? tax) : IInvoiceSettingsSource
    {
        public InvoiceTax? FindTax(TenantId tenantId) => tax;
    }
}
