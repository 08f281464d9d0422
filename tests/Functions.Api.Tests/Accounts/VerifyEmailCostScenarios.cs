using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Xunit;

namespace Functions.Api.Tests.Accounts;

/// <summary>
/// What an anonymous caller can make POST /auth/verify-email spend: the slow password check runs only once the code
/// has matched (each try taking one of the code's attempts), so a flood of guesses after one sign-up costs at most
/// <see cref="AccountOptions.MaxCodeAttempts"/> checks, and then the code is dead.
/// </summary>
public abstract class VerifyEmailCostScenarios
{
    protected abstract RacingAccountsFactory Factory { get; }

    protected async Task A_flood_of_guesses_costs_at_most_the_codes_attempts_in_password_checks_core()
    {
        using var client = Factory.Tenant("alpha", $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");
        var email = AccountCalls.NewEmail();
        var userId = UserId.Parse((string)(await client.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201))["user_id"]!);
        var code = await client.LatestCodeAsync(email);
        var wrong = code == "000000" ? "000001" : "000000";
        var maxAttempts = new AccountOptions().MaxCodeAttempts;
        var before = Factory.Hasher.Verifies;

        // Wrong codes with random passwords, and (as if the code had leaked) the right code with random passwords.
        for (var i = 0; i < 4 * maxAttempts; i++)
        {
            var (status, body) = await client.PostAsync("/api/v1/auth/verify-email", new { email, code = i % 2 == 0 ? wrong : code, password = $"guess-{Guid.NewGuid():N}" });
            Assert.Equal((400, "invalid_code"), (status, (string)body["code"]!));
        }

        Assert.InRange(Factory.Hasher.Verifies - before, 1, maxAttempts);

        // The code is used up: even the right code with the right password no longer proves the address.
        var (lastStatus, lastBody) = await client.PostAsync("/api/v1/auth/verify-email", new { email, code, password = AccountCalls.Password });
        Assert.Equal((400, "invalid_code"), (lastStatus, (string)lastBody["code"]!));
        Assert.InRange(Factory.Hasher.Verifies - before, 1, maxAttempts);
        Assert.Null((await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(TenantId.Parse("alpha"), userId, default))?.VerifiedEmail);
    }
}
