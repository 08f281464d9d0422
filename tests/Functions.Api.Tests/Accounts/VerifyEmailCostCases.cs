using TestSupport;
using Xunit;

namespace Functions.Api.Tests.Accounts;

// One test per scenario and store; the scenarios live in VerifyEmailCostScenarios.

public sealed class SqliteVerifyEmailCostTests(SqliteRacingAccountsApi fixture) : VerifyEmailCostScenarios, IClassFixture<SqliteRacingAccountsApi>
{
    protected override RacingAccountsFactory Factory => fixture.Factory;

    [Fact]
    public Task A_flood_of_guesses_costs_at_most_the_codes_attempts_in_password_checks() => A_flood_of_guesses_costs_at_most_the_codes_attempts_in_password_checks_core();
}

public sealed class CosmosVerifyEmailCostTests(CosmosRacingAccountsApi fixture) : VerifyEmailCostScenarios, IClassFixture<CosmosRacingAccountsApi>
{
    protected override RacingAccountsFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task A_flood_of_guesses_costs_at_most_the_codes_attempts_in_password_checks() => A_flood_of_guesses_costs_at_most_the_codes_attempts_in_password_checks_core();
}
