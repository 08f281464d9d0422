using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

// One test per contract case and store; the cases live in StoreContractTests.

public sealed class SqliteStoreContractTests(SqliteStoreFixture fixture) : StoreContractTests, IClassFixture<SqliteStoreFixture>
{
    protected override Task<StoreSet> StoresAsync() => Task.FromResult(fixture.Stores);

    [Fact]
    public Task Consuming_until_exhausted_allows_exactly_the_limit() => Consuming_until_exhausted_allows_exactly_the_limit_core();

    [Fact]
    public Task Consuming_without_an_account_returns_null() => Consuming_without_an_account_returns_null_core();

    [Fact]
    public Task Creating_an_existing_account_keeps_the_existing_one() => Creating_an_existing_account_keeps_the_existing_one_core();

    [Fact]
    public Task The_period_rolls_over_exactly_at_the_boundary() => The_period_rolls_over_exactly_at_the_boundary_core();

    [Fact]
    public Task A_repeated_request_key_consumes_once() => A_repeated_request_key_consumes_once_core();

    [Fact]
    public Task Parallel_consumers_never_get_more_than_the_limit() => Parallel_consumers_never_get_more_than_the_limit_core();

    [Fact]
    public Task Parallel_consumers_across_a_rollover_never_get_more_than_the_limit() => Parallel_consumers_across_a_rollover_never_get_more_than_the_limit_core();

    [Fact]
    public Task Parallel_repeats_of_one_request_key_consume_once() => Parallel_repeats_of_one_request_key_consume_once_core();

    [Fact]
    public Task Unlimited_accounts_count_but_never_deny() => Unlimited_accounts_count_but_never_deny_core();

    [Fact]
    public Task Accounts_of_one_tenant_are_invisible_to_another() => Accounts_of_one_tenant_are_invisible_to_another_core();

    [Fact]
    public Task A_new_installation_creates_a_user_and_is_found_again() => A_new_installation_creates_a_user_and_is_found_again_core();

    [Fact]
    public Task A_contact_email_is_kept_unverified_and_never_joins_users() => A_contact_email_is_kept_unverified_and_never_joins_users_core();

    [Fact]
    public Task Installations_proving_one_email_belong_to_one_user() => Installations_proving_one_email_belong_to_one_user_core();

    [Fact]
    public Task Concurrent_installations_proving_one_email_agree_on_one_owner() => Concurrent_installations_proving_one_email_agree_on_one_owner_core();

    [Fact]
    public Task Concurrent_first_calls_of_one_installation_agree_on_one_user() => Concurrent_first_calls_of_one_installation_agree_on_one_user_core();

    [Fact]
    public Task A_proven_email_is_claimed_once_and_never_taken_over() => A_proven_email_is_claimed_once_and_never_taken_over_core();

    [Fact]
    public Task One_extension_id_in_two_tenants_is_two_users() => One_extension_id_in_two_tenants_is_two_users_core();

    [Fact]
    public Task Ensuring_a_user_is_idempotent() => Ensuring_a_user_is_idempotent_core();

    [Fact]
    public Task Tenants_round_trip_and_unknown_ones_are_absent() => Tenants_round_trip_and_unknown_ones_are_absent_core();

    [Fact]
    public Task Usage_records_are_stored_per_user_newest_first() => Usage_records_are_stored_per_user_newest_first_core();
}

public sealed class CosmosStoreContractTests(CosmosStoreFixture fixture) : StoreContractTests, IClassFixture<CosmosStoreFixture>
{
    protected override Task<StoreSet> StoresAsync() => fixture.StoresAsync();

    [CosmosFact]
    public Task Consuming_until_exhausted_allows_exactly_the_limit() => Consuming_until_exhausted_allows_exactly_the_limit_core();

    [CosmosFact]
    public Task Consuming_without_an_account_returns_null() => Consuming_without_an_account_returns_null_core();

    [CosmosFact]
    public Task Creating_an_existing_account_keeps_the_existing_one() => Creating_an_existing_account_keeps_the_existing_one_core();

    [CosmosFact]
    public Task The_period_rolls_over_exactly_at_the_boundary() => The_period_rolls_over_exactly_at_the_boundary_core();

    [CosmosFact]
    public Task A_repeated_request_key_consumes_once() => A_repeated_request_key_consumes_once_core();

    [CosmosFact]
    public Task Parallel_consumers_never_get_more_than_the_limit() => Parallel_consumers_never_get_more_than_the_limit_core();

    [CosmosFact]
    public Task Parallel_consumers_across_a_rollover_never_get_more_than_the_limit() => Parallel_consumers_across_a_rollover_never_get_more_than_the_limit_core();

    [CosmosFact]
    public Task Parallel_repeats_of_one_request_key_consume_once() => Parallel_repeats_of_one_request_key_consume_once_core();

    [CosmosFact]
    public Task Unlimited_accounts_count_but_never_deny() => Unlimited_accounts_count_but_never_deny_core();

    [CosmosFact]
    public Task Accounts_of_one_tenant_are_invisible_to_another() => Accounts_of_one_tenant_are_invisible_to_another_core();

    [CosmosFact]
    public Task A_new_installation_creates_a_user_and_is_found_again() => A_new_installation_creates_a_user_and_is_found_again_core();

    [CosmosFact]
    public Task A_contact_email_is_kept_unverified_and_never_joins_users() => A_contact_email_is_kept_unverified_and_never_joins_users_core();

    [CosmosFact]
    public Task Installations_proving_one_email_belong_to_one_user() => Installations_proving_one_email_belong_to_one_user_core();

    [CosmosFact]
    public Task Concurrent_installations_proving_one_email_agree_on_one_owner() => Concurrent_installations_proving_one_email_agree_on_one_owner_core();

    [CosmosFact]
    public Task Concurrent_first_calls_of_one_installation_agree_on_one_user() => Concurrent_first_calls_of_one_installation_agree_on_one_user_core();

    [CosmosFact]
    public Task A_proven_email_is_claimed_once_and_never_taken_over() => A_proven_email_is_claimed_once_and_never_taken_over_core();

    [CosmosFact]
    public Task One_extension_id_in_two_tenants_is_two_users() => One_extension_id_in_two_tenants_is_two_users_core();

    [CosmosFact]
    public Task Ensuring_a_user_is_idempotent() => Ensuring_a_user_is_idempotent_core();

    [CosmosFact]
    public Task Tenants_round_trip_and_unknown_ones_are_absent() => Tenants_round_trip_and_unknown_ones_are_absent_core();

    [CosmosFact]
    public Task Usage_records_are_stored_per_user_newest_first() => Usage_records_are_stored_per_user_newest_first_core();
}
