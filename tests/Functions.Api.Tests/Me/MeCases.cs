using TestSupport;
using Xunit;

namespace Functions.Api.Tests.Me;

// One test per scenario and store; the scenarios live in MeScenarios.

public sealed class SqliteMeTests(SqliteApi fixture) : MeScenarios, IClassFixture<SqliteApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [Fact]
    public Task Get_me_shows_the_profile_and_put_sets_only_a_valid_display_name() => Get_me_shows_the_profile_and_put_sets_only_a_valid_display_name_core();

    [Fact]
    public Task Export_then_erase_leaves_no_personal_field_in_any_table_or_container() => Export_then_erase_leaves_no_personal_field_in_any_table_or_container_core();

    [Fact]
    public Task Identify_racing_an_erasure_writes_nothing_under_the_erased_id() => Identify_racing_an_erasure_writes_nothing_under_the_erased_id_core();

    [Fact]
    public Task Erasure_needs_a_fresh_token_and_a_refused_erasure_changes_nothing() => Erasure_needs_a_fresh_token_and_a_refused_erasure_changes_nothing_core();
}

public sealed class CosmosMeTests(CosmosApi fixture) : MeScenarios, IClassFixture<CosmosApi>
{
    protected override ApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task Get_me_shows_the_profile_and_put_sets_only_a_valid_display_name() => Get_me_shows_the_profile_and_put_sets_only_a_valid_display_name_core();

    [CosmosFact]
    public Task Export_then_erase_leaves_no_personal_field_in_any_table_or_container() => Export_then_erase_leaves_no_personal_field_in_any_table_or_container_core();

    [CosmosFact]
    public Task Identify_racing_an_erasure_writes_nothing_under_the_erased_id() => Identify_racing_an_erasure_writes_nothing_under_the_erased_id_core();

    [CosmosFact]
    public Task Erasure_needs_a_fresh_token_and_a_refused_erasure_changes_nothing() => Erasure_needs_a_fresh_token_and_a_refused_erasure_changes_nothing_core();
}
