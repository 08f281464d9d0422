using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Privacy;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Infrastructure.Tests.Accounts;

/// <summary>Accounts' store on both providers: uniqueness per tenant, conditional writes, personal data.</summary>
public abstract class AccountStoreScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static EmailAddress Email(string text) => EmailAddress.TryParse(text, out var e) ? e.Value : throw new ArgumentException(text);

    private static PhoneNumber Phone(string text) => PhoneNumber.TryParse(text, out var p) ? p.Value : throw new ArgumentException(text);

    [StoreFact]
    public async Task An_email_has_one_credential_per_tenant_and_conditional_changes_apply_once()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var email = Email($"a-{Guid.NewGuid():N}@example.com");
        var (u, v) = (UserId.New(), UserId.New());

        Assert.True(await store.TryCreateCredentialAsync(new Credential(Alpha, email, u, "h1", false, Now), default));
        Assert.False(await store.TryCreateCredentialAsync(new Credential(Alpha, email, v, "h2", false, Now), default));
        Assert.True(await store.TryCreateCredentialAsync(new Credential(Beta, email, v, "h3", false, Now), default));

        Assert.Equal(u, (await store.FindCredentialAsync(Alpha, email, default))!.UserId);
        Assert.Equal(v, (await store.FindCredentialAsync(Beta, email, default))!.UserId);
        Assert.Equal(email, (await store.FindCredentialOfUserAsync(Alpha, u, default))!.Email);
        Assert.Null(await store.FindCredentialOfUserAsync(Alpha, v, default));

        Assert.False(await store.ReplacePasswordHashAsync(Alpha, email, "stale", "h9", default));
        Assert.True(await store.ReplacePasswordHashAsync(Alpha, email, "h1", "h1b", default));
        Assert.Equal("h1b", (await store.FindCredentialAsync(Alpha, email, default))!.PasswordHash);

        var owner = UserId.New();
        await store.ConfirmCredentialAsync(Alpha, email, owner, "h-final", default);
        var confirmed = (await store.FindCredentialAsync(Alpha, email, default))!;
        Assert.Equal((owner, "h-final", true), (confirmed.UserId, confirmed.PasswordHash, confirmed.EmailVerified));
        Assert.False((await store.FindCredentialAsync(Beta, email, default))!.EmailVerified);
    }

    [StoreFact]
    public async Task A_credential_moves_to_a_free_address_only()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var (from, to, taken) = (Email($"f-{Guid.NewGuid():N}@example.com"), Email($"t-{Guid.NewGuid():N}@example.com"), Email($"x-{Guid.NewGuid():N}@example.com"));
        var (u, w) = (UserId.New(), UserId.New());
        await store.TryCreateCredentialAsync(new Credential(Alpha, from, u, "h", true, Now), default);
        await store.TryCreateCredentialAsync(new Credential(Alpha, taken, w, "h", true, Now), default);

        Assert.False(await store.MoveCredentialAsync(Alpha, u, from, taken, default));
        Assert.False(await store.MoveCredentialAsync(Alpha, w, from, to, default)); // not w's credential
        Assert.True(await store.MoveCredentialAsync(Alpha, u, from, to, default));

        Assert.Null(await store.FindCredentialAsync(Alpha, from, default));
        Assert.Equal(u, (await store.FindCredentialAsync(Alpha, to, default))!.UserId);
        Assert.Equal(w, (await store.FindCredentialAsync(Alpha, taken, default))!.UserId);
    }

    [StoreFact]
    public async Task The_first_claim_of_a_phone_wins_in_its_tenant()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var phone = Phone($"+9198{Random.Shared.Next(10_000_000, 99_999_999)}");
        var (u, v) = (UserId.New(), UserId.New());

        Assert.Null(await store.FindPhoneOwnerAsync(Alpha, phone, default));
        var claims = await Task.WhenAll(store.ClaimPhoneAsync(Alpha, phone, u, Now, default), store.ClaimPhoneAsync(Alpha, phone, v, Now, default));

        Assert.Single(claims.Distinct());
        Assert.Equal(claims[0], await store.FindPhoneOwnerAsync(Alpha, phone, default));
        Assert.Equal(v, await store.ClaimPhoneAsync(Beta, phone, v, Now, default));
    }

    [StoreFact]
    public async Task A_code_allows_its_attempts_once_each_and_is_consumed_once()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var target = $"c-{Guid.NewGuid():N}@example.com";
        var code = new VerificationCode(Alpha, CodePurpose.Signup, target, UserId.New(), "salt", "aa11", 0, Now, Now.AddMinutes(15), "pending");
        await store.SaveCodeAsync(code, default);

        Assert.Equal(code, await store.FindCodeAsync(Alpha, CodePurpose.Signup, target, default));
        Assert.Null(await store.FindCodeAsync(Alpha, CodePurpose.ChangeEmail, target, default));
        Assert.Null(await store.FindCodeAsync(Beta, CodePurpose.Signup, target, default));

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryTakeAttemptAsync(Alpha, CodePurpose.Signup, target, "aa11", 5, default)));
        Assert.Equal(5, taken.Count(t => t));
        Assert.Equal(5, (await store.FindCodeAsync(Alpha, CodePurpose.Signup, target, default))!.Attempts);

        // A resend replaces it: the old hash takes no attempt and deletes nothing.
        await store.SaveCodeAsync(code with { Hash = "bb22", Attempts = 0 }, default);
        Assert.False(await store.TryTakeAttemptAsync(Alpha, CodePurpose.Signup, target, "aa11", 5, default));
        Assert.False(await store.TryDeleteCodeAsync(Alpha, CodePurpose.Signup, target, "aa11", default));
        Assert.True(await store.TryTakeAttemptAsync(Alpha, CodePurpose.Signup, target, "bb22", 5, default));

        var deletes = await Task.WhenAll(store.TryDeleteCodeAsync(Alpha, CodePurpose.Signup, target, "bb22", default), store.TryDeleteCodeAsync(Alpha, CodePurpose.Signup, target, "bb22", default));
        Assert.Single(deletes, d => d);
        Assert.Null(await store.FindCodeAsync(Alpha, CodePurpose.Signup, target, default));
    }

    [StoreFact]
    public async Task A_refresh_token_is_used_once_and_revoking_families_works_by_family_and_by_user()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var user = UserId.New();
        var (f1, f2) = (SecretCodes.NewFamilyId(), SecretCodes.NewFamilyId());
        await store.CreateRefreshFamilyAsync(new RefreshFamily(Alpha, f1, user, Now, null), default);
        await store.CreateRefreshFamilyAsync(new RefreshFamily(Alpha, f2, user, Now.AddMinutes(5), null), default);
        var hash = SecretCodes.HashToken(SecretCodes.NewRefreshToken());
        var token = new RefreshToken(Alpha, hash, f1, user, Now, Now.AddDays(30), null);
        await store.CreateRefreshTokenAsync(token, default);

        Assert.Equal(token, await store.FindRefreshTokenAsync(Alpha, hash, default));
        Assert.Null(await store.FindRefreshTokenAsync(Beta, hash, default));
        var uses = await Task.WhenAll(store.TryUseRefreshTokenAsync(Alpha, hash, Now.AddMinutes(1), default), store.TryUseRefreshTokenAsync(Alpha, hash, Now.AddMinutes(1), default));
        Assert.Single(uses, u => u);
        Assert.Equal(Now.AddMinutes(1), (await store.FindRefreshTokenAsync(Alpha, hash, default))!.UsedAt);

        await store.RevokeRefreshFamiliesOfUserAsync(Alpha, user, Now.AddMinutes(2), default); // f1 only: f2 began later
        Assert.Equal(Now.AddMinutes(2), (await store.FindRefreshFamilyAsync(Alpha, f1, default))!.RevokedAt);
        Assert.Null((await store.FindRefreshFamilyAsync(Alpha, f2, default))!.RevokedAt);

        await store.RevokeRefreshFamilyAsync(Alpha, f2, Now.AddMinutes(6), default);
        await store.RevokeRefreshFamilyAsync(Alpha, f2, Now.AddMinutes(7), default); // no-op
        Assert.Equal(Now.AddMinutes(6), (await store.FindRefreshFamilyAsync(Alpha, f2, default))!.RevokedAt);
        Assert.Null(await store.FindRefreshFamilyAsync(Beta, f2, default));
    }

    [StoreFact]
    public async Task The_outbox_answers_the_latest_messages_to_a_recipient_in_its_tenant()
    {
        var clock = new TestSupport.ManualTimeProvider(Now);
        await using var set = await StoreAsync(clock);
        var to = Email($"o-{Guid.NewGuid():N}@example.com");
        var mail = set.Get<IMailSender>();
        await mail.SendAsync(new MailMessage(Alpha, to, "first", "body 1", "111111", UserId.New()), default);
        clock.Advance(TimeSpan.FromSeconds(1));
        await mail.SendAsync(new MailMessage(Alpha, to, "second", "body 2", null, null), default);
        await mail.SendAsync(new MailMessage(Beta, to, "beta", "body 3", "333333", null), default);
        var phone = Phone("+14155550123");
        await set.Get<ISmsSender>().SendAsync(new SmsMessage(Alpha, phone, "sms body", "444444", null), default);

        var items = await set.Get<IOutbox>().LatestAsync(Alpha, to.Value, 10, default);

        Assert.Equal(["second", "first"], items.Select(i => i.Subject));
        Assert.Equal([null, "111111"], items.Select(i => i.Code));
        Assert.Equal(Now.AddSeconds(1), items[0].SentAt);
        Assert.Equal("444444", Assert.Single(await set.Get<IOutbox>().LatestAsync(Alpha, phone.Value, 10, default)).Code);
    }

    [StoreFact]
    public async Task Export_covers_credentials_phones_codes_sessions_and_outbox_and_erase_removes_them_only_for_that_user()
    {
        await using var set = await StoreAsync();
        var store = set.Get<IAccountStore>();
        var (user, other) = (UserId.New(), UserId.New());
        var email = Email($"p-{Guid.NewGuid():N}@example.com");
        var phone = Phone($"+4479{Random.Shared.Next(10_000_000, 99_999_999)}");
        await store.TryCreateCredentialAsync(new Credential(Alpha, email, user, "hash", true, Now), default);
        await store.TryCreateCredentialAsync(new Credential(Alpha, Email($"q-{Guid.NewGuid():N}@example.com"), other, "hash", true, Now), default);
        await store.ClaimPhoneAsync(Alpha, phone, user, Now, default);
        await store.SaveCodeAsync(new VerificationCode(Alpha, CodePurpose.Phone, phone.Value, user, "s", "aa", 0, Now, Now.AddMinutes(5)), default);
        var family = SecretCodes.NewFamilyId();
        await store.CreateRefreshFamilyAsync(new RefreshFamily(Alpha, family, user, Now, null), default);
        await store.CreateRefreshTokenAsync(new RefreshToken(Alpha, SecretCodes.HashToken(SecretCodes.NewRefreshToken()), family, user, Now, Now.AddDays(1), null), default);
        await set.Get<IMailSender>().SendAsync(new MailMessage(Alpha, email, "s", "b", "123456", user), default);
        var sections = set.Get<IEnumerable<IPersonalDataStore>>().Where(s => s.Section is "accounts" or "outbox").ToList();

        var exported = (await Task.WhenAll(sections.Select(s => s.ExportAsync(Alpha, user, default)))).SelectMany(s => s.Records).ToList();
        var kinds = exported.Select(r => r.Kind).Order().ToList();
        Assert.Equal(6, exported.Count);
        Assert.Contains(exported, r => r.Fields.Values.Contains(email.Value));
        Assert.Contains(exported, r => r.Fields.Values.Contains(phone.Value));

        var erased = 0;
        foreach (var section in sections)
        {
            erased += await section.EraseAsync(Alpha, user, default);
        }

        Assert.Equal(6, erased);
        Assert.Empty((await Task.WhenAll(sections.Select(s => s.ExportAsync(Alpha, user, default)))).SelectMany(s => s.Records));
        Assert.Equal(0, (await Task.WhenAll(sections.Select(s => s.EraseAsync(Alpha, user, default)))).Sum());
        Assert.Null(await store.FindCredentialAsync(Alpha, email, default));
        Assert.Null(await store.FindPhoneOwnerAsync(Alpha, phone, default));
        Assert.NotNull(await store.FindCredentialOfUserAsync(Alpha, other, default));
        Assert.NotEmpty(kinds);
    }
}
