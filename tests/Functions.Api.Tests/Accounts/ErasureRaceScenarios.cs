using Functions.Api.Tests.Me;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Domain.Users;
using Shared.Infrastructure.Usage;
using Xunit;

namespace Functions.Api.Tests.Accounts;

/// <summary>
/// Login, OTP verification, refresh, sign-up and email verification racing an erasure: the account store's seam runs
/// the erasure (tombstone, then the data) between the handler's reads and its first write, deterministically. Each
/// request must answer as for an erased account and leave nothing of it in any table or container (the store scan).
/// </summary>
public abstract class ErasureRaceScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    protected abstract RacingAccountsFactory Factory { get; }

    private async Task EraseAsync(UserId user)
    {
        // What EraseUser does once it is allowed to: the tombstone first, then every feature's data.
        Assert.True(await Factory.Services.GetRequiredService<IErasureRegistry>().TryRecordAsync(Alpha, user, Factory.Clock.GetUtcNow(), default));
        await Factory.Services.GetRequiredService<EraseUserData>().HandleAsync(Alpha, user, default);
    }

    private async Task AssertNothingLeftAsync(string method, params string[] needles)
    {
        Assert.Equal(1, Factory.Racing.Fired);
        await Factory.Services.GetRequiredService<BufferedUsageLog>().FlushAsync(default);
        var left = await StoreScan.FindAsync(Factory, needles);
        Assert.True(left.Count == 0, $"after {method}:\n" + string.Join("\n", left));
    }

    private async Task AssertStoredAsync(params string[] needles)
    {
        // The scan sees the account before the race, so an empty scan after it means the data is gone.
        var found = await StoreScan.FindAsync(Factory, needles);
        Assert.All(needles, n => Assert.Contains(found, f => f.EndsWith($"'{n}'", StringComparison.Ordinal)));
    }

    private void Arm(string method, UserId user)
    {
        Factory.Racing.Arm(method, () => EraseAsync(user));
    }

    protected async Task Login_racing_an_erasure_answers_user_erased_and_leaves_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var email = AccountCalls.NewEmail();
        var user = UserId.Parse((string)(await client.VerifiedLoginAsync(email))["user_id"]!);
        await AssertStoredAsync(user.Value, email);

        Arm(nameof(IAccountStore.CreateRefreshFamilyAsync), user);
        var (status, body) = await client.PostAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal((403, "user_erased"), (status, (string?)body["code"]));
        Assert.Null(body["access_token"]);
        await AssertNothingLeftAsync("login", user.Value, email);
    }

    protected async Task Refresh_racing_an_erasure_answers_user_erased_and_leaves_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var email = AccountCalls.NewEmail();
        var session = await client.VerifiedLoginAsync(email);
        var user = UserId.Parse((string)session["user_id"]!);
        await AssertStoredAsync(user.Value, email);

        // After the presented token is marked used, before its successor is written.
        Arm(nameof(IAccountStore.CreateRefreshTokenAsync), user);
        var (status, body) = await client.PostAsync("/api/v1/auth/refresh", new { refresh_token = (string)session["refresh_token"]! });
        Assert.Equal((403, "user_erased"), (status, (string?)body["code"]));
        Assert.Null(body["refresh_token"]);
        await AssertNothingLeftAsync("refresh", user.Value, email);
    }

    protected async Task Otp_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var phone = AccountCalls.NewPhone();
        Assert.True(PhoneNumber.TryParse(phone, out var parsed));

        // The number belongs to an existing user (verified earlier), who is sent a code and erased before it is used.
        var user = UserId.New();
        await Factory.Services.GetRequiredService<IUserDirectory>().EnsureUserAsync(Alpha, user, Factory.Clock.GetUtcNow(), default);
        Assert.Equal(user, await Factory.Racing.ClaimPhoneAsync(Alpha, parsed.Value, user, Factory.Clock.GetUtcNow(), default));
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        var code = await client.LatestCodeAsync(phone);
        await AssertStoredAsync(user.Value, parsed.Value.Value);

        Arm(nameof(IAccountStore.ClaimPhoneAsync), user);
        var (status, body) = await client.PostAsync("/api/v1/auth/otp/verify", new { phone, code });
        Assert.Equal((403, "user_erased"), (status, (string?)body["code"]));
        Assert.Null(body["access_token"]);
        await AssertNothingLeftAsync("otp verify", user.Value, parsed.Value.Value);
    }

    protected async Task Email_verification_racing_an_erasure_answers_user_erased_and_leaves_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var email = AccountCalls.NewEmail();
        var user = UserId.Parse((string)(await client.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201))["user_id"]!);
        var code = await client.LatestCodeAsync(email);
        await AssertStoredAsync(user.Value, email);

        Arm(nameof(IAccountStore.ConfirmCredentialAsync), user);
        var (status, body) = await client.PostAsync("/api/v1/auth/verify-email", new { email, code, password = AccountCalls.Password });
        Assert.Equal((403, "user_erased"), (status, (string?)body["code"]));
        await AssertNothingLeftAsync("verify-email", user.Value, email);
    }

    protected async Task A_repeated_sign_up_racing_an_erasure_answers_alike_and_leaves_nothing_core()
    {
        var client = Factory.Tenant("alpha");
        var email = AccountCalls.NewEmail();
        var user = UserId.Parse((string)(await client.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201))["user_id"]!);
        await AssertStoredAsync(user.Value, email);
        Factory.Clock.Advance(TimeSpan.FromMinutes(2)); // past the resend interval for this address

        // The unverified account is found, then erased before its new code is written.
        Arm(nameof(IAccountStore.SaveCodeAsync), user);
        var (status, body) = await client.PostAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password });
        Assert.Equal(201, status);
        Assert.NotEqual(user.Value, (string?)body["user_id"]); // the answer every taken address gets
        await AssertNothingLeftAsync("sign-up", user.Value, email);
    }
}
