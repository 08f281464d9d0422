using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in ProofBeforeLinkingScenarios.

public sealed class SqliteProofBeforeLinkingTests(IdentityApi fixture) : ProofBeforeLinkingScenarios, IClassFixture<IdentityApi>
{
    protected override IdentityApi Api => fixture;

    [Fact]
    public Task An_email_without_proof_never_joins_an_existing_user() => An_email_without_proof_never_joins_an_existing_user_core();

    [Fact]
    public Task A_bare_email_answers_alike_whether_or_not_someone_owns_it() => A_bare_email_answers_alike_whether_or_not_someone_owns_it_core();

    [Fact]
    public Task An_email_claimed_first_without_proof_does_not_capture_the_owners_installations() => An_email_claimed_first_without_proof_does_not_capture_the_owners_installations_core();

    [Fact]
    public Task A_verified_email_joins_a_new_installation_to_its_owner() => A_verified_email_joins_a_new_installation_to_its_owner_core();

    [Fact]
    public Task An_anonymous_installation_that_proves_a_free_email_keeps_its_user_and_gets_the_email() => An_anonymous_installation_that_proves_a_free_email_keeps_its_user_and_gets_the_email_core();

    [Fact]
    public Task Proof_of_another_users_email_on_a_linked_installation_is_refused_and_changes_nothing() => Proof_of_another_users_email_on_a_linked_installation_is_refused_and_changes_nothing_core();

    [Fact]
    public Task An_account_keeps_the_first_email_it_proved() => An_account_keeps_the_first_email_it_proved_core();

    [Fact]
    public Task An_invalid_id_token_is_refused_and_creates_or_changes_nothing() => An_invalid_id_token_is_refused_and_creates_or_changes_nothing_core();

    [Fact]
    public Task An_id_tokens_lifetime_follows_the_apps_clock() => An_id_tokens_lifetime_follows_the_apps_clock_core();

    [Fact]
    public Task An_id_token_proves_an_email_only_in_the_tenant_it_is_presented_to() => An_id_token_proves_an_email_only_in_the_tenant_it_is_presented_to_core();

    [Fact]
    public Task Concurrent_first_calls_with_proof_agree_on_one_user() => Concurrent_first_calls_with_proof_agree_on_one_user_core();
}

public sealed class CosmosProofBeforeLinkingTests(CosmosIdentityApi fixture) : ProofBeforeLinkingScenarios, IClassFixture<CosmosIdentityApi>
{
    protected override IdentityApi Api => fixture.Api;

    [CosmosFact]
    public Task An_email_without_proof_never_joins_an_existing_user() => An_email_without_proof_never_joins_an_existing_user_core();

    [CosmosFact]
    public Task A_bare_email_answers_alike_whether_or_not_someone_owns_it() => A_bare_email_answers_alike_whether_or_not_someone_owns_it_core();

    [CosmosFact]
    public Task An_email_claimed_first_without_proof_does_not_capture_the_owners_installations() => An_email_claimed_first_without_proof_does_not_capture_the_owners_installations_core();

    [CosmosFact]
    public Task A_verified_email_joins_a_new_installation_to_its_owner() => A_verified_email_joins_a_new_installation_to_its_owner_core();

    [CosmosFact]
    public Task An_anonymous_installation_that_proves_a_free_email_keeps_its_user_and_gets_the_email() => An_anonymous_installation_that_proves_a_free_email_keeps_its_user_and_gets_the_email_core();

    [CosmosFact]
    public Task Proof_of_another_users_email_on_a_linked_installation_is_refused_and_changes_nothing() => Proof_of_another_users_email_on_a_linked_installation_is_refused_and_changes_nothing_core();

    [CosmosFact]
    public Task An_account_keeps_the_first_email_it_proved() => An_account_keeps_the_first_email_it_proved_core();

    [CosmosFact]
    public Task An_invalid_id_token_is_refused_and_creates_or_changes_nothing() => An_invalid_id_token_is_refused_and_creates_or_changes_nothing_core();

    [CosmosFact]
    public Task An_id_tokens_lifetime_follows_the_apps_clock() => An_id_tokens_lifetime_follows_the_apps_clock_core();

    [CosmosFact]
    public Task An_id_token_proves_an_email_only_in_the_tenant_it_is_presented_to() => An_id_token_proves_an_email_only_in_the_tenant_it_is_presented_to_core();

    [CosmosFact]
    public Task Concurrent_first_calls_with_proof_agree_on_one_user() => Concurrent_first_calls_with_proof_agree_on_one_user_core();
}
