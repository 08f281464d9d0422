using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

// One test per scenario and store; the scenarios live in AiApiScenarios.

public sealed class SqliteAiApiTests(SqliteAiApi fixture) : AiApiScenarios, IClassFixture<SqliteAiApi>
{
    protected override AiApiFactory Factory => fixture.Factory;

    [Fact]
    public Task The_allowance_pays_first_then_credits_and_a_cached_answer_is_free() => The_allowance_pays_first_then_credits_and_a_cached_answer_is_free_core();

    [Fact]
    public Task A_failed_generation_gives_back_the_use_or_the_credits() => A_failed_generation_gives_back_the_use_or_the_credits_core();

    [Fact]
    public Task An_account_that_never_used_the_extension_gets_the_free_plans_uses() => An_account_that_never_used_the_extension_gets_the_free_plans_uses_core();

    [Fact]
    public Task Credit_holds_left_by_a_dead_process_are_released_by_the_next_paid_generation() => Credit_holds_left_by_a_dead_process_are_released_by_the_next_paid_generation_core();

    [Fact]
    public Task A_settlement_failing_after_the_answer_returns_the_answer_uncharged() => A_settlement_failing_after_the_answer_returns_the_answer_uncharged_core();

    [Fact]
    public Task Concurrent_generations_never_hold_more_credits_than_the_wallet_has() => Concurrent_generations_never_hold_more_credits_than_the_wallet_has_core();

    [Fact]
    public Task Campaign_text_fits_its_channel_and_is_for_shopkeepers_only() => Campaign_text_fits_its_channel_and_is_for_shopkeepers_only_core();

    [Fact]
    public Task Bad_input_is_refused_with_a_code_and_charges_nothing() => Bad_input_is_refused_with_a_code_and_charges_nothing_core();
}

public sealed class CosmosAiApiTests(CosmosAiApi fixture) : AiApiScenarios, IClassFixture<CosmosAiApi>
{
    protected override AiApiFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task The_allowance_pays_first_then_credits_and_a_cached_answer_is_free() => The_allowance_pays_first_then_credits_and_a_cached_answer_is_free_core();

    [CosmosFact]
    public Task A_failed_generation_gives_back_the_use_or_the_credits() => A_failed_generation_gives_back_the_use_or_the_credits_core();

    [CosmosFact]
    public Task An_account_that_never_used_the_extension_gets_the_free_plans_uses() => An_account_that_never_used_the_extension_gets_the_free_plans_uses_core();

    [CosmosFact]
    public Task Credit_holds_left_by_a_dead_process_are_released_by_the_next_paid_generation() => Credit_holds_left_by_a_dead_process_are_released_by_the_next_paid_generation_core();

    [CosmosFact]
    public Task A_settlement_failing_after_the_answer_returns_the_answer_uncharged() => A_settlement_failing_after_the_answer_returns_the_answer_uncharged_core();

    [CosmosFact]
    public Task Concurrent_generations_never_hold_more_credits_than_the_wallet_has() => Concurrent_generations_never_hold_more_credits_than_the_wallet_has_core();

    [CosmosFact]
    public Task Campaign_text_fits_its_channel_and_is_for_shopkeepers_only() => Campaign_text_fits_its_channel_and_is_for_shopkeepers_only_core();

    [CosmosFact]
    public Task Bad_input_is_refused_with_a_code_and_charges_nothing() => Bad_input_is_refused_with_a_code_and_charges_nothing_core();
}
