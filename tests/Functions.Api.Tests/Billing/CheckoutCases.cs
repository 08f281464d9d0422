using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in CheckoutScenarios.

public sealed class SqliteCheckoutTests(SqliteApi fixture) : CheckoutScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task Checkout_and_paying_in_the_sandbox_upgrades_the_user_through_the_webhook() => Checkout_and_paying_in_the_sandbox_upgrades_the_user_through_the_webhook_core();

    [Fact]
    public Task A_lifetime_purchase_is_a_one_time_payment_that_keeps_the_plan_and_cannot_be_cancelled() => A_lifetime_purchase_is_a_one_time_payment_that_keeps_the_plan_and_cannot_be_cancelled_core();

    [Fact]
    public Task A_retried_checkout_reuses_the_same_session() => A_retried_checkout_reuses_the_same_session_core();

    [Fact]
    public Task A_plain_checkout_link_answers_303_to_the_session() => A_plain_checkout_link_answers_303_to_the_session_core();

    [Fact]
    public Task Bad_checkout_requests_are_refused_and_create_nothing() => Bad_checkout_requests_are_refused_and_create_nothing_core();

    [Fact]
    public Task A_subscriber_cannot_check_out_again_but_can_cancel_at_period_end() => A_subscriber_cannot_check_out_again_but_can_cancel_at_period_end_core();

    [Fact]
    public Task Paying_in_two_tabs_keeps_both_subscriptions_and_cancel_acts_on_the_one_giving_the_plan() => Paying_in_two_tabs_keeps_both_subscriptions_and_cancel_acts_on_the_one_giving_the_plan_core();

    [Fact]
    public Task Cancel_and_portal_need_the_users_token_and_a_billing_account() => Cancel_and_portal_need_the_users_token_and_a_billing_account_core();

    [Fact]
    public Task The_portal_link_is_given_to_paying_users_and_returns_only_to_the_tenants_sites() => The_portal_link_is_given_to_paying_users_and_returns_only_to_the_tenants_sites_core();

    [Fact]
    public Task The_pricing_page_links_each_plan_and_cycle_to_checkout() => The_pricing_page_links_each_plan_and_cycle_to_checkout_core();

    [Fact]
    public Task Control_characters_in_any_redirect_url_are_refused_naming_the_field() => Control_characters_in_any_redirect_url_are_refused_naming_the_field_core();

    [Fact]
    public Task The_sandbox_portal_shows_the_plan_cancels_at_period_end_and_links_back() => The_sandbox_portal_shows_the_plan_cancels_at_period_end_and_links_back_core();
}

public sealed class CosmosCheckoutTests(CosmosApi fixture) : CheckoutScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task Checkout_and_paying_in_the_sandbox_upgrades_the_user_through_the_webhook() => Checkout_and_paying_in_the_sandbox_upgrades_the_user_through_the_webhook_core();

    [CosmosFact]
    public Task A_lifetime_purchase_is_a_one_time_payment_that_keeps_the_plan_and_cannot_be_cancelled() => A_lifetime_purchase_is_a_one_time_payment_that_keeps_the_plan_and_cannot_be_cancelled_core();

    [CosmosFact]
    public Task A_retried_checkout_reuses_the_same_session() => A_retried_checkout_reuses_the_same_session_core();

    [CosmosFact]
    public Task A_plain_checkout_link_answers_303_to_the_session() => A_plain_checkout_link_answers_303_to_the_session_core();

    [CosmosFact]
    public Task Bad_checkout_requests_are_refused_and_create_nothing() => Bad_checkout_requests_are_refused_and_create_nothing_core();

    [CosmosFact]
    public Task A_subscriber_cannot_check_out_again_but_can_cancel_at_period_end() => A_subscriber_cannot_check_out_again_but_can_cancel_at_period_end_core();

    [CosmosFact]
    public Task Paying_in_two_tabs_keeps_both_subscriptions_and_cancel_acts_on_the_one_giving_the_plan() => Paying_in_two_tabs_keeps_both_subscriptions_and_cancel_acts_on_the_one_giving_the_plan_core();

    [CosmosFact]
    public Task Cancel_and_portal_need_the_users_token_and_a_billing_account() => Cancel_and_portal_need_the_users_token_and_a_billing_account_core();

    [CosmosFact]
    public Task The_portal_link_is_given_to_paying_users_and_returns_only_to_the_tenants_sites() => The_portal_link_is_given_to_paying_users_and_returns_only_to_the_tenants_sites_core();

    [CosmosFact]
    public Task The_pricing_page_links_each_plan_and_cycle_to_checkout() => The_pricing_page_links_each_plan_and_cycle_to_checkout_core();

    [CosmosFact]
    public Task Control_characters_in_any_redirect_url_are_refused_naming_the_field() => Control_characters_in_any_redirect_url_are_refused_naming_the_field_core();

    [CosmosFact]
    public Task The_sandbox_portal_shows_the_plan_cancels_at_period_end_and_links_back() => The_sandbox_portal_shows_the_plan_cancels_at_period_end_and_links_back_core();
}
