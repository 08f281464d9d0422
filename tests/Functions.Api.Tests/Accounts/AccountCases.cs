using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in AccountScenarios.

public sealed class SqliteAccountTests(SqliteAccountsApi fixture) : AccountScenarios, IClassFixture<SqliteAccountsApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task Signup_verify_login_refresh_reuse_and_logout() => Signup_verify_login_refresh_reuse_and_logout_core();

    [Fact]
    public Task Erasing_an_account_with_a_password_needs_the_password_again() => Erasing_an_account_with_a_password_needs_the_password_again_core();

    [Fact]
    public Task Signing_up_with_a_taken_address_answers_alike_and_changes_nothing() => Signing_up_with_a_taken_address_answers_alike_and_changes_nothing_core();

    [Fact]
    public Task The_password_proven_is_the_one_of_the_sign_up_whose_code_was_used() => The_password_proven_is_the_one_of_the_sign_up_whose_code_was_used_core();

    [Fact]
    public Task A_code_proves_a_sign_up_only_with_that_sign_ups_password() => A_code_proves_a_sign_up_only_with_that_sign_ups_password_core();

    [Fact]
    public Task An_email_proven_by_an_installation_first_is_the_same_user() => An_email_proven_by_an_installation_first_is_the_same_user_core();

    [Fact]
    public Task Failed_logins_lock_the_pair_not_the_owners_other_address_and_unlock_after_fifteen_minutes() => Failed_logins_lock_the_pair_not_the_owners_other_address_and_unlock_after_fifteen_minutes_core();

    [Fact]
    public Task An_unknown_email_fails_and_locks_like_a_known_one() => An_unknown_email_fails_and_locks_like_a_known_one_core();

    [Fact]
    public Task A_login_rehashes_a_password_stored_under_weaker_parameters() => A_login_rehashes_a_password_stored_under_weaker_parameters_core();

    [Fact]
    public Task Otp_signs_in_creates_the_user_once_and_confirms_a_pending_referral() => Otp_signs_in_creates_the_user_once_and_confirms_a_pending_referral_core();

    [Fact]
    public Task An_otp_expires_after_five_minutes_and_allows_five_attempts() => An_otp_expires_after_five_minutes_and_allows_five_attempts_core();

    [Fact]
    public Task Otp_resends_are_throttled_per_phone_and_per_address() => Otp_resends_are_throttled_per_phone_and_per_address_core();

    [Fact]
    public Task A_tenant_without_phone_sign_up_answers_alike_but_sends_nothing() => A_tenant_without_phone_sign_up_answers_alike_but_sends_nothing_core();

    [Fact]
    public Task Tokens_of_another_tenant_are_refused() => Tokens_of_another_tenant_are_refused_core();

    [Fact]
    public Task Change_email_moves_the_account_to_the_proven_address() => Change_email_moves_the_account_to_the_proven_address_core();

    [Fact]
    public Task Change_email_to_a_taken_address_is_refused_when_proven() => Change_email_to_a_taken_address_is_refused_when_proven_core();

    [Fact]
    public Task Bodies_that_are_not_json_or_too_large_are_refused_on_every_endpoint() => Bodies_that_are_not_json_or_too_large_are_refused_on_every_endpoint_core();

    [Theory]
    [MemberData(nameof(BadInputs))]
    public Task Bad_input_is_a_4xx_problem_with_a_code_and_changes_nothing(string path, string json, int status, string code) => Bad_input_is_a_4xx_problem_with_a_code_and_changes_nothing_core(path, json, status, code);
}

public sealed class CosmosAccountTests(CosmosAccountsApi fixture) : AccountScenarios, IClassFixture<CosmosAccountsApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task Signup_verify_login_refresh_reuse_and_logout() => Signup_verify_login_refresh_reuse_and_logout_core();

    [CosmosFact]
    public Task Erasing_an_account_with_a_password_needs_the_password_again() => Erasing_an_account_with_a_password_needs_the_password_again_core();

    [CosmosFact]
    public Task Signing_up_with_a_taken_address_answers_alike_and_changes_nothing() => Signing_up_with_a_taken_address_answers_alike_and_changes_nothing_core();

    [CosmosFact]
    public Task The_password_proven_is_the_one_of_the_sign_up_whose_code_was_used() => The_password_proven_is_the_one_of_the_sign_up_whose_code_was_used_core();

    [CosmosFact]
    public Task A_code_proves_a_sign_up_only_with_that_sign_ups_password() => A_code_proves_a_sign_up_only_with_that_sign_ups_password_core();

    [CosmosFact]
    public Task An_email_proven_by_an_installation_first_is_the_same_user() => An_email_proven_by_an_installation_first_is_the_same_user_core();

    [CosmosFact]
    public Task Failed_logins_lock_the_pair_not_the_owners_other_address_and_unlock_after_fifteen_minutes() => Failed_logins_lock_the_pair_not_the_owners_other_address_and_unlock_after_fifteen_minutes_core();

    [CosmosFact]
    public Task An_unknown_email_fails_and_locks_like_a_known_one() => An_unknown_email_fails_and_locks_like_a_known_one_core();

    [CosmosFact]
    public Task A_login_rehashes_a_password_stored_under_weaker_parameters() => A_login_rehashes_a_password_stored_under_weaker_parameters_core();

    [CosmosFact]
    public Task Otp_signs_in_creates_the_user_once_and_confirms_a_pending_referral() => Otp_signs_in_creates_the_user_once_and_confirms_a_pending_referral_core();

    [CosmosFact]
    public Task An_otp_expires_after_five_minutes_and_allows_five_attempts() => An_otp_expires_after_five_minutes_and_allows_five_attempts_core();

    [CosmosFact]
    public Task Otp_resends_are_throttled_per_phone_and_per_address() => Otp_resends_are_throttled_per_phone_and_per_address_core();

    [CosmosFact]
    public Task A_tenant_without_phone_sign_up_answers_alike_but_sends_nothing() => A_tenant_without_phone_sign_up_answers_alike_but_sends_nothing_core();

    [CosmosFact]
    public Task Tokens_of_another_tenant_are_refused() => Tokens_of_another_tenant_are_refused_core();

    [CosmosFact]
    public Task Change_email_moves_the_account_to_the_proven_address() => Change_email_moves_the_account_to_the_proven_address_core();

    [CosmosFact]
    public Task Change_email_to_a_taken_address_is_refused_when_proven() => Change_email_to_a_taken_address_is_refused_when_proven_core();

    [CosmosFact]
    public Task Bodies_that_are_not_json_or_too_large_are_refused_on_every_endpoint() => Bodies_that_are_not_json_or_too_large_are_refused_on_every_endpoint_core();

    [CosmosFact]
    public async Task Bad_input_is_a_4xx_problem_with_a_code_and_changes_nothing()
    {
        foreach (var row in BadInputs)
        {
            await Bad_input_is_a_4xx_problem_with_a_code_and_changes_nothing_core((string)row[0], (string)row[1], (int)row[2], (string)row[3]);
        }
    }
}
