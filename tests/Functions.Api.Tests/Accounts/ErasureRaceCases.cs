using TestSupport;
using Xunit;

namespace Functions.Api.Tests.Accounts;

// One test per scenario and store; the scenarios live in ErasureRaceScenarios.

public sealed class SqliteErasureRaceTests(SqliteRacingAccountsApi fixture) : ErasureRaceScenarios, IClassFixture<SqliteRacingAccountsApi>
{
    protected override RacingAccountsFactory Factory => fixture.Factory;

    [Fact]
    public Task Login_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Login_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [Fact]
    public Task Refresh_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Refresh_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [Fact]
    public Task Otp_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Otp_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [Fact]
    public Task Email_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Email_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [Fact]
    public Task A_repeated_sign_up_racing_an_erasure_answers_alike_and_leaves_nothing() => A_repeated_sign_up_racing_an_erasure_answers_alike_and_leaves_nothing_core();
}

public sealed class CosmosErasureRaceTests(CosmosRacingAccountsApi fixture) : ErasureRaceScenarios, IClassFixture<CosmosRacingAccountsApi>
{
    protected override RacingAccountsFactory Factory => fixture.Factory;

    [CosmosFact]
    public Task Login_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Login_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [CosmosFact]
    public Task Refresh_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Refresh_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [CosmosFact]
    public Task Otp_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Otp_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [CosmosFact]
    public Task Email_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing() => Email_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core();

    [CosmosFact]
    public Task A_repeated_sign_up_racing_an_erasure_answers_alike_and_leaves_nothing() => A_repeated_sign_up_racing_an_erasure_answers_alike_and_leaves_nothing_core();
}
