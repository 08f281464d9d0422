using TestSupport;
using Xunit;

namespace Functions.Api.Tests.Marketplace;

// One test per scenario and store; the scenarios live in PurchaseApiScenarios.

public sealed class SqlitePurchaseApiTests(SqliteApi fixture) : PurchaseApiScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task A_purchase_paid_in_the_sandbox_entitles_the_buyer_and_an_admin_refund_revokes_it() => A_purchase_paid_in_the_sandbox_entitles_the_buyer_and_an_admin_refund_revokes_it_core();

    [Fact]
    public Task The_same_completion_ten_times_and_out_of_order_gives_one_entitlement_and_one_entry() => The_same_completion_ten_times_and_out_of_order_gives_one_entitlement_and_one_entry_core();

    [Fact]
    public Task A_refund_seen_before_its_completion_leaves_no_entitlement() => A_refund_seen_before_its_completion_leaves_no_entitlement_core();

    [Fact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();

    [Fact]
    public Task Earnings_page_with_a_continuation_and_totals_per_currency() => Earnings_page_with_a_continuation_and_totals_per_currency_core();
}

public sealed class CosmosPurchaseApiTests(CosmosApi fixture) : PurchaseApiScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task A_purchase_paid_in_the_sandbox_entitles_the_buyer_and_an_admin_refund_revokes_it() => A_purchase_paid_in_the_sandbox_entitles_the_buyer_and_an_admin_refund_revokes_it_core();

    [CosmosFact]
    public Task The_same_completion_ten_times_and_out_of_order_gives_one_entitlement_and_one_entry() => The_same_completion_ten_times_and_out_of_order_gives_one_entitlement_and_one_entry_core();

    [CosmosFact]
    public Task A_refund_seen_before_its_completion_leaves_no_entitlement() => A_refund_seen_before_its_completion_leaves_no_entitlement_core();

    [CosmosFact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();

    [CosmosFact]
    public Task Earnings_page_with_a_continuation_and_totals_per_currency() => Earnings_page_with_a_continuation_and_totals_per_currency_core();
}
