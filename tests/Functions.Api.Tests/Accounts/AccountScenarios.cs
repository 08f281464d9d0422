using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Accounts;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Referrals;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Accounts over HTTP, end to end through the app; run once per store (AccountCases).</summary>
public abstract class AccountScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");

    protected abstract ApiFactory Factory { get; }

    /// <summary>A client from its own address, so lockouts and send limits of one test never touch another's.</summary>
    protected HttpClient Client(string tenant = "alpha") => Factory.Tenant(tenant, $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");

    private async Task<List<AuditEntry>> AuditAsync(string? userId = null)
    {
        var entries = new List<AuditEntry>();
        string? continuation = null;
        do
        {
            var page = await Factory.Services.GetRequiredService<IAuditLog>().ListAsync(Alpha, continuation, 100, default);
            entries.AddRange(page.Items.Where(e => userId is null || e.ActorId == userId));
            continuation = page.Continuation;
        }
        while (continuation is not null);
        return entries;
    }

    private async Task<string> RoleOfAsync(string accessToken) =>
        (await Factory.Services.GetRequiredService<JwtAccessTokens>().ValidateAsync(accessToken, default))!.FindFirst(TokenClaims.Role)!.Value;

    /// <summary>A fresh access token alone does not erase an account that has a password: the password is asked again.</summary>
    protected async Task Erasing_an_account_with_a_password_needs_the_password_again_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        var login = await client.VerifiedLoginAsync(email);
        var token = (string)login["access_token"]!;
        var userId = UserId.Parse((string)login["user_id"]!);

        async Task<int> EraseAsync(object? body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/me") { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(401, await EraseAsync(null));
        Assert.Equal(401, await EraseAsync(new { password = "not-the-password-at-all" }));
        Assert.NotNull(await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, userId, default));
        Assert.NotNull(await Factory.Services.GetRequiredService<IAccountStore>().FindCredentialOfUserAsync(Alpha, userId, default));

        Assert.Equal(204, await EraseAsync(new { password = AccountCalls.Password }));
        Assert.Null(await Factory.Services.GetRequiredService<IAccountStore>().FindCredentialOfUserAsync(Alpha, userId, default));
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password })).Status);
    }

    protected async Task Signup_verify_login_refresh_reuse_and_logout_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();

        var signup = await client.OkAsync("/api/v1/auth/signup", new { email = email.ToUpperInvariant(), password = AccountCalls.Password }, 201);
        var userId = (string)signup["user_id"]!;
        var mail = Assert.Single(await client.OutboxAsync(email));
        var code = (string)mail!["code"]!;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Contains(code, (string)mail["body"]!, StringComparison.Ordinal);

        // Unproven: the account may sign in, with the user role.
        var early = await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal(userId, (string)early["user_id"]!);
        Assert.Equal("user", await RoleOfAsync((string)early["access_token"]!));

        var verified = await client.OkAsync("/api/v1/auth/verify-email", new { email, code, password = AccountCalls.Password });
        Assert.Equal((userId, true), ((string)verified["user_id"]!, (bool)verified["verified"]!));
        Assert.Equal(email, (await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, UserId.Parse(userId), default))!.VerifiedEmail!.Value.Value);
        // Sessions begun before the proof end with it; the code is spent.
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/refresh", new { refresh_token = (string)early["refresh_token"]! })).Status);
        Assert.Equal("invalid_code", (string)(await client.PostAsync("/api/v1/auth/verify-email", new { email, code, password = AccountCalls.Password })).Body["code"]!);

        var login = await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal(userId, (string)login["user_id"]!);
        Assert.Equal(900, (int)login["expires_in"]!);
        var (quotaStatus, _) = await client.GetQuotaAsync(userId, (string)login["access_token"]!);
        Assert.NotEqual(401, quotaStatus);

        Factory.Clock.Advance(TimeSpan.FromMinutes(11)); // past the access token's renewal point: a freshly signed one comes back
        var first = (string)login["refresh_token"]!;
        var refreshed = await client.OkAsync("/api/v1/auth/refresh", new { refresh_token = first });
        var second = (string)refreshed["refresh_token"]!;
        Assert.NotEqual(first, second);
        Assert.Equal(userId, (string)refreshed["user_id"]!);

        // The spent token again: the whole family is revoked, the newer token too, and it is audited.
        var reuse = await client.PostAsync("/api/v1/auth/refresh", new { refresh_token = first });
        Assert.Equal((401, "invalid_refresh_token"), (reuse.Status, (string)reuse.Body["code"]!));
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/refresh", new { refresh_token = second })).Status);
        Assert.Contains(await AuditAsync(userId), e => e.Action == AuditActions.RefreshReuse);

        // A new sign-in, then logout revokes it.
        var again = await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal(204, (await client.PostAsync("/api/v1/auth/logout", new { refresh_token = (string)again["refresh_token"]! }, (string)again["access_token"]!)).Status);
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/refresh", new { refresh_token = (string)again["refresh_token"]! })).Status);

        var actions = (await AuditAsync(userId)).Select(e => e.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { AuditActions.Signup, AuditActions.EmailVerified, AuditActions.Login, AuditActions.RefreshReuse, AuditActions.Logout }, actions);
        Assert.All(await AuditAsync(userId), e => Assert.DoesNotContain(email, string.Join(' ', e.Details?.Values ?? []), StringComparison.Ordinal));
    }

    protected async Task Signing_up_with_a_taken_address_answers_alike_and_changes_nothing_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        var first = await client.VerifiedLoginAsync(email);

        Factory.Clock.Advance(TimeSpan.FromMinutes(2)); // past the resend interval
        var again = await client.OkAsync("/api/v1/auth/signup", new { email, password = "another-password-entirely" }, 201);

        Assert.NotEqual((string)first["user_id"]!, (string)again["user_id"]!);
        Assert.True(UserId.TryParse((string)again["user_id"]!, out _));
        var notice = (await client.OutboxAsync(email))[0]!;
        Assert.Null((string?)notice["code"]);
        Assert.Contains("already has an account", (string)notice["body"]!, StringComparison.Ordinal);
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/login", new { email, password = "another-password-entirely" })).Status);
        Assert.Equal((string)first["user_id"]!, (string)(await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password }))["user_id"]!);
    }

    protected async Task The_password_proven_is_the_one_of_the_sign_up_whose_code_was_used_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        await client.OkAsync("/api/v1/auth/signup", new { email, password = "squatters-password-1" }, 201); // someone else, first
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await client.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201); // the mailbox's owner

        await client.OkAsync("/api/v1/auth/verify-email", new { email, code = await client.LatestCodeAsync(email), password = AccountCalls.Password });

        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/login", new { email, password = "squatters-password-1" })).Status);
        await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
    }

    /// <summary>
    /// A later sign-up with the victim's address puts a code bound to the attacker's password in the victim's inbox: the
    /// victim entering it with their own password proves nothing, and a new sign-up of theirs then proves their password.
    /// </summary>
    protected async Task A_code_proves_a_sign_up_only_with_that_sign_ups_password_core()
    {
        using var victim = Client();
        using var attacker = Client();
        var email = AccountCalls.NewEmail();
        await victim.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201);
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await attacker.OkAsync("/api/v1/auth/signup", new { email, password = "attackers-password-1" }, 201);

        var (status, body) = await victim.PostAsync("/api/v1/auth/verify-email", new { email, code = await victim.LatestCodeAsync(email), password = AccountCalls.Password });
        Assert.Equal((400, "invalid_code"), (status, (string)body["code"]!));
        Assert.Equal((400, "invalid_code"), ((await victim.PostAsync("/api/v1/auth/verify-email", new { email, code = await victim.LatestCodeAsync(email) })).Status, "invalid_code"));

        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await victim.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201);
        await victim.OkAsync("/api/v1/auth/verify-email", new { email, code = await victim.LatestCodeAsync(email), password = AccountCalls.Password });
        await victim.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal(401, (await attacker.PostAsync("/api/v1/auth/login", new { email, password = "attackers-password-1" })).Status);
    }

    protected async Task An_email_proven_by_an_installation_first_is_the_same_user_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        var existing = UserId.New();
        var link = await Factory.Services.GetRequiredService<IUserDirectory>().RegisterVerifiedInstallationAsync(Alpha, ExtensionId.TryParse(ApiCalls.NewExtensionId(), out var x) ? x.Value : default, EmailAddress.TryParse(email, out var e) ? e.Value : default, existing, Factory.Clock.GetUtcNow(), default);

        var signup = await client.OkAsync("/api/v1/auth/signup", new { email, password = AccountCalls.Password }, 201);
        var verified = await client.OkAsync("/api/v1/auth/verify-email", new { email, code = await client.LatestCodeAsync(email), password = AccountCalls.Password });
        var login = await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });

        Assert.Equal(link.UserId.Value, (string)verified["user_id"]!);
        Assert.Equal(link.UserId.Value, (string)login["user_id"]!);
        Assert.NotEqual(link.UserId.Value, (string)signup["user_id"]!); // the id sign-up answered was not the installation's
    }

    protected async Task Failed_logins_lock_the_pair_not_the_owners_other_address_and_unlock_after_fifteen_minutes_core()
    {
        var email = AccountCalls.NewEmail();
        using var owner = Client();
        await owner.VerifiedLoginAsync(email);
        using var attacker = Client();

        for (var i = 0; i < 5; i++)
        {
            var failed = await attacker.PostAsync("/api/v1/auth/login", new { email, password = $"wrong-password-{i}" });
            Assert.Equal((401, "invalid_credentials"), (failed.Status, (string)failed.Body["code"]!));
        }

        var locked = await attacker.PostAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
        Assert.Equal((429, "login_locked"), (locked.Status, (string)locked.Body["code"]!));
        await owner.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password }); // the owner is not locked out

        Factory.Clock.Advance(TimeSpan.FromMinutes(15));
        await attacker.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });

        var audit = await AuditAsync();
        Assert.Contains(audit, e => e.Action == AuditActions.Lockout);
        Assert.True(audit.Count(e => e.Action == AuditActions.LoginFailed) >= 5);
        Assert.All(audit.Where(e => e.Action is AuditActions.LoginFailed or AuditActions.Lockout), e => Assert.Null(e.ActorId)); // the account is the target, not the actor
    }

    protected async Task An_unknown_email_fails_and_locks_like_a_known_one_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        var statuses = new List<(int, string)>();
        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await client.PostAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
            statuses.Add((status, (string)body["code"]!));
        }

        Assert.Equal([.. Enumerable.Repeat((401, "invalid_credentials"), 5), (429, "login_locked")], statuses);
    }

    protected async Task A_login_rehashes_a_password_stored_under_weaker_parameters_core()
    {
        using var client = Client();
        var email = AccountCalls.NewEmail();
        await client.VerifiedLoginAsync(email);
        var store = Factory.Services.GetRequiredService<IAccountStore>();
        var address = EmailAddress.TryParse(email, out var e) ? e.Value : default;
        var current = (await store.FindCredentialAsync(Alpha, address, default))!.PasswordHash;
        var weaker = new PasswordHasher(new PasswordHashOptions { Iterations = 1_000 }).Hash(AccountCalls.Password);
        Assert.True(await store.ReplacePasswordHashAsync(Alpha, address, current, weaker, default));

        await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });

        var rehashed = (await store.FindCredentialAsync(Alpha, address, default))!.PasswordHash;
        Assert.StartsWith($"pbkdf2-sha256${AccountApis.TestIterations}$", rehashed, StringComparison.Ordinal);
        await client.OkAsync("/api/v1/auth/login", new { email, password = AccountCalls.Password });
    }

    protected async Task Otp_signs_in_creates_the_user_once_and_confirms_a_pending_referral_core()
    {
        using var client = Client();
        var phone = AccountCalls.NewPhone();
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        var first = await client.OkAsync("/api/v1/auth/otp/verify", new { phone, code = await client.LatestCodeAsync(phone) });
        var userId = UserId.Parse((string)first["user_id"]!);
        Assert.NotNull(await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, userId, default));

        // A referral recorded for that user is confirmed by the next proof of the phone.
        var referrer = UserId.Parse((string)(await client.IdentifyOkAsync(new { extension_id = ApiCalls.NewExtensionId() }))["user_id"]!);
        Assert.True((await Factory.Services.GetRequiredService<ReferralHandler>().ReferAsync(Alpha, referrer, userId, default)).IsSuccess);
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        var second = await client.OkAsync("/api/v1/auth/otp/verify", new { phone, code = await client.LatestCodeAsync(phone) });

        Assert.Equal(userId.Value, (string)second["user_id"]!);
        Assert.Equal(ReferralStatus.Confirmed, (await Factory.Services.GetRequiredService<IReferralStore>().GetAsync(Alpha, userId, default))!.Status);
        Assert.Contains(await AuditAsync(userId.Value), a => a.Action == AuditActions.OtpVerified);
    }

    protected async Task An_otp_expires_after_five_minutes_and_allows_five_attempts_core()
    {
        using var client = Client();
        var phone = AccountCalls.NewPhone();
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        var code = await client.LatestCodeAsync(phone);
        Factory.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("invalid_code", (string)(await client.PostAsync("/api/v1/auth/otp/verify", new { phone, code })).Body["code"]!);

        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        code = await client.LatestCodeAsync(phone);
        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(400, (await client.PostAsync("/api/v1/auth/otp/verify", new { phone, code = wrong })).Status);
        }

        var spent = await client.PostAsync("/api/v1/auth/otp/verify", new { phone, code });
        Assert.Equal((400, "invalid_code"), (spent.Status, (string)spent.Body["code"]!));
        Assert.Contains(await AuditAsync(), a => a.Action == AuditActions.OtpFailed);
    }

    protected async Task Otp_resends_are_throttled_per_phone_and_per_address_core()
    {
        using var client = Client();
        var phone = AccountCalls.NewPhone();
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);
        var early = await client.PostAsync("/api/v1/auth/otp/send", new { phone });
        Assert.Equal((429, "rate_limited"), (early.Status, (string)early.Body["code"]!));
        Assert.Single(await client.OutboxAsync(phone));
        Factory.Clock.Advance(TimeSpan.FromSeconds(60));
        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);

        // One address asking for many phones: 20 an hour, then refused.
        using var sprayer = Client();
        var answers = new List<int>();
        for (var i = 0; i < 21; i++)
        {
            answers.Add((await sprayer.PostAsync("/api/v1/auth/otp/send", new { phone = AccountCalls.NewPhone() })).Status);
        }

        Assert.Equal([.. Enumerable.Repeat(202, 20), 429], answers);

        // A stranger using up the phone's limit from their address does not stop the owner from theirs.
        var victimPhone = AccountCalls.NewPhone();
        using var stranger = Client();
        for (var i = 0; i < 5; i++)
        {
            await stranger.OkAsync("/api/v1/auth/otp/send", new { phone = victimPhone }, 202);
            Factory.Clock.Advance(TimeSpan.FromSeconds(61));
        }

        Assert.Equal(429, (await stranger.PostAsync("/api/v1/auth/otp/send", new { phone = victimPhone })).Status);
        using var owner = Client();
        await owner.OkAsync("/api/v1/auth/otp/send", new { phone = victimPhone }, 202);
    }

    protected async Task A_tenant_without_phone_sign_up_answers_alike_but_sends_nothing_core()
    {
        using var client = Client("beta");
        var phone = AccountCalls.NewPhone();

        await client.OkAsync("/api/v1/auth/otp/send", new { phone }, 202);

        Assert.Empty(await client.OutboxAsync(phone));
        Assert.Equal("invalid_code", (string)(await client.PostAsync("/api/v1/auth/otp/verify", new { phone, code = "123456" })).Body["code"]!);
    }

    protected async Task Tokens_of_another_tenant_are_refused_core()
    {
        using var alpha = Client();
        var login = await alpha.VerifiedLoginAsync(AccountCalls.NewEmail());
        using var beta = Client("beta");

        Assert.Equal(401, (await beta.PostAsync("/api/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! })).Status);
        Assert.Equal(403, (await beta.PostAsync("/api/v1/auth/logout", new { refresh_token = (string)login["refresh_token"]! }, (string)login["access_token"]!)).Status);
        await alpha.OkAsync("/api/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! }); // untouched
    }

    protected async Task Change_email_moves_the_account_to_the_proven_address_core()
    {
        using var client = Client();
        var (old, fresh) = (AccountCalls.NewEmail(), AccountCalls.NewEmail());
        var login = await client.VerifiedLoginAsync(old);
        var token = (string)login["access_token"]!;

        await client.OkAsync("/api/v1/auth/change-email", new { email = fresh }, 202, token);
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/login", new { email = fresh, password = AccountCalls.Password })).Status);
        await client.OkAsync("/api/v1/auth/verify-email", new { email = fresh, code = await client.LatestCodeAsync(fresh) });

        Assert.Equal((string)login["user_id"]!, (string)(await client.OkAsync("/api/v1/auth/login", new { email = fresh, password = AccountCalls.Password }))["user_id"]!);
        Assert.Equal(401, (await client.PostAsync("/api/v1/auth/login", new { email = old, password = AccountCalls.Password })).Status);
        var user = await Factory.Services.GetRequiredService<IUserDirectory>().GetAsync(Alpha, UserId.Parse((string)login["user_id"]!), default);
        Assert.Equal(fresh, user!.VerifiedEmail!.Value.Value);
    }

    protected async Task Change_email_to_a_taken_address_is_refused_when_proven_core()
    {
        using var client = Client();
        var (mine, theirs) = (AccountCalls.NewEmail(), AccountCalls.NewEmail());
        var login = await client.VerifiedLoginAsync(mine);
        await client.VerifiedLoginAsync(theirs);
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));

        await client.OkAsync("/api/v1/auth/change-email", new { email = theirs }, 202, (string)login["access_token"]!);
        var (status, body) = await client.PostAsync("/api/v1/auth/verify-email", new { email = theirs, code = await client.LatestCodeAsync(theirs) });

        Assert.Equal((409, "email_taken"), (status, (string)body["code"]!));
        await client.OkAsync("/api/v1/auth/login", new { email = mine, password = AccountCalls.Password });
    }

    public static TheoryData<string, string, int, string> BadInputs => new()
    {
        { "/api/v1/auth/signup", """{"email":"not-an-email","password":"violet-harbour-47-lantern"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """{"email":"bad-input@example.com","password":"short"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """{"email":"bad-input@example.com","password":"qwertyuiop"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """{"email":"bad-input@example.com","password":"violet-harbour-47-lantern","referral_code":"nope"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """{"email":"bad-input@example.com","password":"violet-harbour-47-lantern","referral_code":"0190a0a0-0000-7000-8000-000000000000"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """{"email":12,"password":"violet-harbour-47-lantern"}""", 400, "validation_failed" },
        { "/api/v1/auth/signup", """[1,2]""", 400, "invalid_json" },
        { "/api/v1/auth/signup", """{"email":""", 400, "validation_failed" },
        { "/api/v1/auth/verify-email", """{"email":"bad-input@example.com","code":"12345"}""", 400, "validation_failed" },
        { "/api/v1/auth/verify-email", """{"email":"bad-input@example.com","code":"１２３４５６"}""", 400, "validation_failed" },
        { "/api/v1/auth/verify-email", """{"email":"bad-input@example.com","code":"123456"}""", 400, "invalid_code" },
        { "/api/v1/auth/login", """{"email":"bad-input@example.com"}""", 400, "validation_failed" },
        { "/api/v1/auth/login", """{"email":"bad-input@example.com","password":null}""", 400, "validation_failed" },
        { "/api/v1/auth/refresh", """{}""", 400, "validation_failed" },
        { "/api/v1/auth/refresh", """{"refresh_token":"not-a-token"}""", 401, "invalid_refresh_token" },
        { "/api/v1/auth/refresh", """{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", 401, "invalid_refresh_token" },
        { "/api/v1/auth/otp/send", """{"phone":"9876543210"}""", 400, "validation_failed" },
        { "/api/v1/auth/otp/send", """{"phone":"+91 98765 abc"}""", 400, "validation_failed" },
        { "/api/v1/auth/otp/verify", """{"phone":"+919876543210","code":"abcdef"}""", 400, "validation_failed" },
        { "/api/v1/auth/otp/verify", """{"phone":"+919876543210"}""", 400, "validation_failed" },
    };

    protected async Task Bad_input_is_a_4xx_problem_with_a_code_and_changes_nothing_core(string path, string json, int status, string code)
    {
        using var client = Client();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(path, content);
        var body = await ApiCalls.ReadObjectAsync(response);

        Assert.True((int)response.StatusCode == status, $"{path} {json}: {(int)response.StatusCode} {body.ToJsonString()}");
        Assert.Equal(code, (string)body["code"]!);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Empty(await client.OutboxAsync("bad-input@example.com"));
        Assert.Empty(await client.OutboxAsync("+919876543210"));
        Assert.Null(await Factory.Services.GetRequiredService<IAccountStore>().FindCredentialAsync(Alpha, EmailAddress.TryParse("bad-input@example.com", out var e) ? e.Value : default, default));
    }

    protected async Task Bodies_that_are_not_json_or_too_large_are_refused_on_every_endpoint_core()
    {
        using var client = Client();
        var login = await client.VerifiedLoginAsync(AccountCalls.NewEmail());
        string[] paths = ["/api/v1/auth/signup", "/api/v1/auth/verify-email", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout", "/api/v1/auth/change-email", "/api/v1/auth/otp/send", "/api/v1/auth/otp/verify"];
        foreach (var path in paths)
        {
            foreach (var (content, expected) in new (HttpContent, int)[]
            {
                (new StringContent("email=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), 415),
                (new StringContent("{\"email\":\"" + new string('a', 40_000) + "\"}", System.Text.Encoding.UTF8, "application/json"), 413),
                (new StringContent("", System.Text.Encoding.UTF8, "application/json"), 400),
            })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)login["access_token"]!);
                using var response = await client.SendAsync(request);
                Assert.True((int)response.StatusCode == expected, $"{path}: {(int)response.StatusCode}, expected {expected}");
                Assert.NotNull((await ApiCalls.ReadObjectAsync(response))["code"]);
            }
        }

        Assert.Equal(400, (await client.PostAsync("/api/v1/auth/change-email", new { email = "nope" }, (string)login["access_token"]!)).Status);
        Assert.Equal(400, (await client.PostAsync("/api/v1/auth/logout", new { refresh_token = "nope" }, (string)login["access_token"]!)).Status);
        using var outbox = await client.GetAsync("/api/dev/outbox?to=nobody");
        Assert.Equal(400, (int)outbox.StatusCode);
    }

    protected static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
