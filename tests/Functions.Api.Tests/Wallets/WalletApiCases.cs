using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in WalletApiScenarios.

public sealed class SqliteWalletApiTests(SqliteApi fixture) : WalletApiScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task A_top_up_paid_in_the_sandbox_is_credited_through_the_webhook() => A_top_up_paid_in_the_sandbox_is_credited_through_the_webhook_core();

    [Fact]
    public Task A_top_up_webhook_replayed_five_times_and_out_of_order_is_credited_once() => A_top_up_webhook_replayed_five_times_and_out_of_order_is_credited_once_core();

    [Fact]
    public Task A_refund_after_partial_spend_takes_back_what_is_left() => A_refund_after_partial_spend_takes_back_what_is_left_core();

    [Fact]
    public Task A_refund_before_its_top_up_nets_the_same_as_one_after() => A_refund_before_its_top_up_nets_the_same_as_one_after_core();

    [Fact]
    public Task A_refund_before_its_top_up_on_an_empty_wallet_leaves_nothing_spendable() => A_refund_before_its_top_up_on_an_empty_wallet_leaves_nothing_spendable_core();

    [Fact]
    public Task A_delayed_payment_is_credited_once_when_it_succeeds_and_never_when_it_fails() => A_delayed_payment_is_credited_once_when_it_succeeds_and_never_when_it_fails_core();

    [Fact]
    public Task A_top_up_gets_one_invoice_however_often_its_webhook_comes() => A_top_up_gets_one_invoice_however_often_its_webhook_comes_core();

    [Fact]
    public Task Credits_are_bought_at_the_tenant_price_and_credited_once() => Credits_are_bought_at_the_tenant_price_and_credited_once_core();

    [Fact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();
}

public sealed class CosmosWalletApiTests(CosmosApi fixture) : WalletApiScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task A_top_up_paid_in_the_sandbox_is_credited_through_the_webhook() => A_top_up_paid_in_the_sandbox_is_credited_through_the_webhook_core();

    [CosmosFact]
    public Task A_top_up_webhook_replayed_five_times_and_out_of_order_is_credited_once() => A_top_up_webhook_replayed_five_times_and_out_of_order_is_credited_once_core();

    [CosmosFact]
    public Task A_refund_after_partial_spend_takes_back_what_is_left() => A_refund_after_partial_spend_takes_back_what_is_left_core();

    [CosmosFact]
    public Task A_refund_before_its_top_up_nets_the_same_as_one_after() => A_refund_before_its_top_up_nets_the_same_as_one_after_core();

    [CosmosFact]
    public Task A_refund_before_its_top_up_on_an_empty_wallet_leaves_nothing_spendable() => A_refund_before_its_top_up_on_an_empty_wallet_leaves_nothing_spendable_core();

    [CosmosFact]
    public Task A_delayed_payment_is_credited_once_when_it_succeeds_and_never_when_it_fails() => A_delayed_payment_is_credited_once_when_it_succeeds_and_never_when_it_fails_core();

    [CosmosFact]
    public Task A_top_up_gets_one_invoice_however_often_its_webhook_comes() => A_top_up_gets_one_invoice_however_often_its_webhook_comes_core();

    [CosmosFact]
    public Task Credits_are_bought_at_the_tenant_price_and_credited_once() => Credits_are_bought_at_the_tenant_price_and_credited_once_core();

    [CosmosFact]
    public Task Bad_input_is_refused_with_a_code_and_changes_nothing() => Bad_input_is_refused_with_a_code_and_changes_nothing_core();
}
