using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in BillingScenarios.

public sealed class SqliteBillingTests(SqliteApi fixture) : BillingScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task A_paid_checkout_turns_an_exhausted_free_user_into_pro_at_once() => A_paid_checkout_turns_an_exhausted_free_user_into_pro_at_once_core();

    [Fact]
    public Task A_failed_payment_is_past_due_with_the_plan_kept_and_a_paid_invoice_restores_it() => A_failed_payment_is_past_due_with_the_plan_kept_and_a_paid_invoice_restores_it_core();

    [Fact]
    public Task Cancelling_keeps_the_plan_until_stripe_ends_the_subscription() => Cancelling_keeps_the_plan_until_stripe_ends_the_subscription_core();

    [Fact]
    public Task A_subscription_update_switches_the_plan_by_its_price() => A_subscription_update_switches_the_plan_by_its_price_core();

    [Fact]
    public Task A_refund_is_recorded_once_per_refunded_amount() => A_refund_is_recorded_once_per_refunded_amount_core();

    [Fact]
    public Task The_same_event_delivered_twenty_times_at_once_changes_state_once() => The_same_event_delivered_twenty_times_at_once_changes_state_once_core();

    [Fact]
    public Task An_older_event_never_overwrites_a_newer_state() => An_older_event_never_overwrites_a_newer_state_core();

    [Fact]
    public Task When_the_grace_period_ends_the_user_falls_back_to_free_until_an_invoice_is_paid() => When_the_grace_period_ends_the_user_falls_back_to_free_until_an_invoice_is_paid_core();

    [Fact]
    public Task Bad_signatures_are_refused_and_change_nothing() => Bad_signatures_are_refused_and_change_nothing_core();

    [Fact]
    public Task Signed_but_malformed_or_unresolvable_events_are_4xx() => Signed_but_malformed_or_unresolvable_events_are_4xx_core();

    [Fact]
    public Task Plans_list_prices_in_minor_units_and_their_billing_cycles() => Plans_list_prices_in_minor_units_and_their_billing_cycles_core();

    [Fact]
    public Task An_event_about_another_subscription_never_downgrades_the_live_one() => An_event_about_another_subscription_never_downgrades_the_live_one_core();

    [Fact]
    public Task A_second_paid_subscription_is_recorded_as_an_anomaly_not_forgotten() => A_second_paid_subscription_is_recorded_as_an_anomaly_not_forgotten_core();

    [Fact]
    public Task Out_of_order_events_are_judged_per_subscription() => Out_of_order_events_are_judged_per_subscription_core();

    [Fact]
    public Task The_grace_sweep_suspends_one_subscription_and_keeps_the_plan_another_gives() => The_grace_sweep_suspends_one_subscription_and_keeps_the_plan_another_gives_core();
}

public sealed class CosmosBillingTests(CosmosApi fixture) : BillingScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task A_paid_checkout_turns_an_exhausted_free_user_into_pro_at_once() => A_paid_checkout_turns_an_exhausted_free_user_into_pro_at_once_core();

    [CosmosFact]
    public Task A_failed_payment_is_past_due_with_the_plan_kept_and_a_paid_invoice_restores_it() => A_failed_payment_is_past_due_with_the_plan_kept_and_a_paid_invoice_restores_it_core();

    [CosmosFact]
    public Task Cancelling_keeps_the_plan_until_stripe_ends_the_subscription() => Cancelling_keeps_the_plan_until_stripe_ends_the_subscription_core();

    [CosmosFact]
    public Task A_subscription_update_switches_the_plan_by_its_price() => A_subscription_update_switches_the_plan_by_its_price_core();

    [CosmosFact]
    public Task A_refund_is_recorded_once_per_refunded_amount() => A_refund_is_recorded_once_per_refunded_amount_core();

    [CosmosFact]
    public Task The_same_event_delivered_twenty_times_at_once_changes_state_once() => The_same_event_delivered_twenty_times_at_once_changes_state_once_core();

    [CosmosFact]
    public Task An_older_event_never_overwrites_a_newer_state() => An_older_event_never_overwrites_a_newer_state_core();

    [CosmosFact]
    public Task When_the_grace_period_ends_the_user_falls_back_to_free_until_an_invoice_is_paid() => When_the_grace_period_ends_the_user_falls_back_to_free_until_an_invoice_is_paid_core();

    [CosmosFact]
    public Task Bad_signatures_are_refused_and_change_nothing() => Bad_signatures_are_refused_and_change_nothing_core();

    [CosmosFact]
    public Task Signed_but_malformed_or_unresolvable_events_are_4xx() => Signed_but_malformed_or_unresolvable_events_are_4xx_core();

    [CosmosFact]
    public Task Plans_list_prices_in_minor_units_and_their_billing_cycles() => Plans_list_prices_in_minor_units_and_their_billing_cycles_core();

    [CosmosFact]
    public Task An_event_about_another_subscription_never_downgrades_the_live_one() => An_event_about_another_subscription_never_downgrades_the_live_one_core();

    [CosmosFact]
    public Task A_second_paid_subscription_is_recorded_as_an_anomaly_not_forgotten() => A_second_paid_subscription_is_recorded_as_an_anomaly_not_forgotten_core();

    [CosmosFact]
    public Task Out_of_order_events_are_judged_per_subscription() => Out_of_order_events_are_judged_per_subscription_core();

    [CosmosFact]
    public Task The_grace_sweep_suspends_one_subscription_and_keeps_the_plan_another_gives() => The_grace_sweep_suspends_one_subscription_and_keeps_the_plan_another_gives_core();
}
