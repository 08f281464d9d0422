using TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in IdentifyScenarios.

public sealed class SqliteIdentifyTests(SqliteApi fixture, ITestOutputHelper output) : IdentifyScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task Eleven_calls_for_a_new_free_user_allow_ten_then_point_to_the_upgrade() => Eleven_calls_for_a_new_free_user_allow_ten_then_point_to_the_upgrade_core();

    [Fact]
    public Task The_warning_appears_once_eighty_percent_is_spent() => The_warning_appears_once_eighty_percent_is_spent_core();

    [Fact]
    public Task The_same_request_id_twice_consumes_once() => The_same_request_id_twice_consumes_once_core();

    [Fact]
    public Task Two_installations_sending_the_same_bare_email_stay_two_users() => Two_installations_sending_the_same_bare_email_stay_two_users_core();

    [Fact]
    public Task A_bare_email_sent_later_changes_nothing() => A_bare_email_sent_later_changes_nothing_core();

    [Fact]
    public Task Two_hundred_parallel_calls_for_a_fresh_user_allow_exactly_ten() => Two_hundred_parallel_calls_for_a_fresh_user_allow_exactly_ten_core();

    [Fact]
    public Task Unlimited_plans_answer_null_limits_and_no_upgrade_link() => Unlimited_plans_answer_null_limits_and_no_upgrade_link_core();

    [Fact]
    public Task The_day_rolls_over_at_midnight_utc() => The_day_rolls_over_at_midnight_utc_core();

    [Fact]
    public Task The_quota_endpoint_reports_the_callers_own_usage() => The_quota_endpoint_reports_the_callers_own_usage_core();

    [Fact]
    public Task A_user_of_one_tenant_is_invisible_from_another() => A_user_of_one_tenant_is_invisible_from_another_core();

    [Fact]
    public Task The_same_extension_id_in_two_tenants_is_two_users() => The_same_extension_id_in_two_tenants_is_two_users_core();

    [Fact]
    public Task A_returning_user_costs_one_store_round_trip_and_one_tombstone_read() => A_returning_user_costs_one_store_round_trip_and_one_tombstone_read_core(output);

    [Fact]
    public Task Identify_calls_are_written_to_the_usage_log() => Identify_calls_are_written_to_the_usage_log_core();
}

public sealed class CosmosIdentifyTests(CosmosApi fixture, ITestOutputHelper output) : IdentifyScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task Eleven_calls_for_a_new_free_user_allow_ten_then_point_to_the_upgrade() => Eleven_calls_for_a_new_free_user_allow_ten_then_point_to_the_upgrade_core();

    [CosmosFact]
    public Task The_warning_appears_once_eighty_percent_is_spent() => The_warning_appears_once_eighty_percent_is_spent_core();

    [CosmosFact]
    public Task The_same_request_id_twice_consumes_once() => The_same_request_id_twice_consumes_once_core();

    [CosmosFact]
    public Task Two_installations_sending_the_same_bare_email_stay_two_users() => Two_installations_sending_the_same_bare_email_stay_two_users_core();

    [CosmosFact]
    public Task A_bare_email_sent_later_changes_nothing() => A_bare_email_sent_later_changes_nothing_core();

    [CosmosFact]
    public Task Two_hundred_parallel_calls_for_a_fresh_user_allow_exactly_ten() => Two_hundred_parallel_calls_for_a_fresh_user_allow_exactly_ten_core();

    [CosmosFact]
    public Task Unlimited_plans_answer_null_limits_and_no_upgrade_link() => Unlimited_plans_answer_null_limits_and_no_upgrade_link_core();

    [CosmosFact]
    public Task The_day_rolls_over_at_midnight_utc() => The_day_rolls_over_at_midnight_utc_core();

    [CosmosFact]
    public Task The_quota_endpoint_reports_the_callers_own_usage() => The_quota_endpoint_reports_the_callers_own_usage_core();

    [CosmosFact]
    public Task A_user_of_one_tenant_is_invisible_from_another() => A_user_of_one_tenant_is_invisible_from_another_core();

    [CosmosFact]
    public Task The_same_extension_id_in_two_tenants_is_two_users() => The_same_extension_id_in_two_tenants_is_two_users_core();

    [CosmosFact]
    public Task A_returning_user_costs_one_store_round_trip_and_one_tombstone_read() => A_returning_user_costs_one_store_round_trip_and_one_tombstone_read_core(output);

    [CosmosFact]
    public Task Identify_calls_are_written_to_the_usage_log() => Identify_calls_are_written_to_the_usage_log_core();
}
