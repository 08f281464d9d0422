using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Wallets;

namespace Shared.Domain.Ai;

/// <summary>
/// The GPT-store AI proxy: a prompt answered through the AI port, paid first from the user's plan allowance and, once
/// that is used up, from their credits, with the feature requests' rules: reserve before the call, commit on success,
/// release on failure.
/// <list type="number">
/// <item>A use of the allowance is reserved under a key of its own (<see cref="IQuotaStore.TryReserveAsync"/>: atomic,
/// never beyond the allowance, at most <see cref="AiGenerationOptions.MaxReservationsPerUser"/> open).</item>
/// <item>When none is left, <see cref="AiGenerationOptions.CreditsPerGeneration"/> credits are held on the credits
/// wallet (<see cref="WalletService.HoldAsync"/>: conditional and atomic, so concurrent generations never hold more
/// than the balance); too few → 402 <c>insufficient_credits</c>, nothing held.</item>
/// <item>The AI call. Any failure (provider error, timeout, our rate limit, the caller going away) gives the use or the
/// credits back, then the failure goes on to the caller.</item>
/// <item>An answer from the tenant's prompt cache costs nothing: the reservation is released. One made now is
/// committed (the use kept, the hold settled as a charge).</item>
/// </list>
/// The payment is decided before the call because the port says whether an answer was cached only with the answer, so
/// a user with neither allowance nor credits is refused even for a prompt that is cached. A process that dies between
/// the reservation and its end leaves a use counted (its in-flight slot expires after the TTL) or credits held: the
/// hold's key carries its creation time (a version 7 GUID), and the user's next generation paid by credits first
/// releases their AI holds older than <see cref="AiGenerationOptions.ReservationTtl"/> (the sweep on the next call).
/// A settlement that fails once the answer exists (the hold already released by that sweep, a store failure) is tried
/// once more and then left: the answer is returned (nothing charged, <see cref="GeneratedAnswer.UnsettledHold"/> named
/// for the caller to log) and the hold goes to the sweep; an answer the user waited for is never turned into a 500.
/// </summary>
public sealed class GenerateAnswer(IAiProvider ai, IQuotaStore quotas, WalletService wallets, IWalletSettingsSource settings, AiGenerationOptions options, TimeProvider time)
{
    public const string SystemPrompt = "You are a helpful assistant. Answer the user's request clearly and concisely.";

    /// <summary>The prefix of the credit holds of generations; the rest is a version 7 GUID ("N"), dated by its creation.</summary>
    public const string HoldPrefix = "ai-generate:";

    private const int SettleAttempts = 2;

    public async Task<Result<GeneratedAnswer>> HandleAsync(Tenant tenant, UserId userId, string? prompt, CancellationToken cancellationToken)
    {
        if (AiText.Check(prompt, "prompt", options.MaxPromptLength) is { } invalid)
        {
            return invalid;
        }

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
        var reservation = RequestKey.ForReservation(tenant.Id, userId, HoldPrefix + id);
        var reserved = await QuotaAccounts.ReserveAsync(quotas, tenant, userId, reservation, options.InFlightLimit, time.GetUtcNow(), cancellationToken);
        var wallet = new WalletKey(tenant.Id, userId, WalletKind.Credits);
        var holdKey = HoldPrefix + id;
        GenerationFunding funding;
        if (QuotaAccounts.Refusal(reserved, $"At most {options.MaxReservationsPerUser} uses may be reserved at once (feature requests and generations); wait for one to finish.") is not { } refused)
        {
            funding = GenerationFunding.Allowance;
        }
        else if (reserved?.Kind != ReserveKind.QuotaExceeded || settings.Find(tenant.Id)?.CreditPriceCents is null)
        {
            return refused; // only a spent allowance falls back to credits, and only where the tenant sells them
        }
        else
        {
            await ReleaseExpiredHoldsAsync(wallet, cancellationToken);

            // The key is new and the amount valid (options are checked at startup): any answer but held or too few
            // credits is a bug.
            var hold = await wallets.HoldAsync(wallet, options.CreditsPerGeneration, holdKey, holdKey, cancellationToken);
            if (hold.IsSuccess && hold.Value.Outcome == WalletOutcome.InsufficientFunds)
            {
                return new Error(ErrorKind.PaymentRequired, "insufficient_credits", $"The plan's uses are spent and a generation costs {options.CreditsPerGeneration} credit(s); {hold.Value.Balance.Available} available. Buy credits with POST /credits/me/top-ups.");
            }

            if (!hold.IsSuccess || !hold.Value.Succeeded)
            {
                throw new InvalidOperationException($"Holding credits for a generation answered {hold.Error?.Code ?? hold.Value.Outcome.ToString()}.");
            }

            funding = GenerationFunding.Credits;
        }

        AiCompletion completion;
        try
        {
            completion = await ai.CompleteAsync(new AiPrompt(tenant.Id, SystemPrompt, prompt!), cancellationToken);
        }
        catch
        {
            // Whatever went wrong, nothing was delivered: the use or the credits go back (not cancellable: the caller may
            // be gone, the release must still happen). Then the failure goes on to be answered.
            await GiveBackAsync(tenant, userId, funding, reservation, wallet, holdKey);
            throw;
        }

        if (completion.FromCache)
        {
            await GiveBackAsync(tenant, userId, funding, reservation, wallet, holdKey);
            return new GeneratedAnswer(completion.Text, 0, true, completion.Provider);
        }

        if (funding == GenerationFunding.Allowance)
        {
            await quotas.SettleAsync(tenant.Id, userId, reservation, CancellationToken.None);
            return new GeneratedAnswer(completion.Text, 0, false, completion.Provider);
        }

        string? problem = null;
        for (var attempt = 0; attempt < SettleAttempts; attempt++)
        {
            try
            {
                var settled = await wallets.SettleAsync(wallet, holdKey, options.CreditsPerGeneration, holdKey, CancellationToken.None);
                if (settled.IsSuccess && settled.Value.Succeeded)
                {
                    return new GeneratedAnswer(completion.Text, options.CreditsPerGeneration, false, completion.Provider);
                }

                problem = settled.Error?.Code ?? settled.Value.Outcome.ToString();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                problem = e.GetType().Name + ": " + e.Message; // reported with the answer (UnsettledHold), logged by the caller
            }
        }

        // Not charged: the hold stays for the sweep on the user's next paid generation, which releases it.
        return new GeneratedAnswer(completion.Text, 0, false, completion.Provider, $"{holdKey} ({problem})");
    }

    /// <summary>
    /// Releases the user's generation holds older than the reservation TTL: left by a process that died mid-call or by a
    /// settlement that failed. Holds of calls still running are younger and stay. Keys from before holds were dated (a
    /// random GUID) cannot be dated and are released too: those calls ended long ago.
    /// </summary>
    private async Task ReleaseExpiredHoldsAsync(WalletKey wallet, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.ReservationTtl;
        foreach (var key in (await wallets.ListOpenHoldsAsync(wallet, cancellationToken)).Keys)
        {
            var expired = key.StartsWith(HoldPrefix, StringComparison.Ordinal) && (CreatedAt(key[HoldPrefix.Length..]) is not { } created || created < cutoff);
            if (expired)
            {
                var released = await wallets.ReleaseAsync(wallet, key, key, cancellationToken);
                if (!released.IsSuccess)
                {
                    throw new InvalidOperationException($"Releasing the expired hold {key} failed: {released.Error!.Code}.");
                }
            }
        }
    }

    /// <summary>The creation time a version 7 GUID carries (its first 48 bits: Unix milliseconds); null for any other id.</summary>
    private static DateTimeOffset? CreatedAt(string id)
    {
        if (!Guid.TryParseExact(id, "N", out var guid) || guid.Version != 7)
        {
            return null;
        }

        var bytes = guid.ToByteArray(bigEndian: true);
        var ms = 0L;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    private async Task GiveBackAsync(Tenant tenant, UserId userId, GenerationFunding funding, RequestKey reservation, WalletKey wallet, string holdKey)
    {
        if (funding == GenerationFunding.Allowance)
        {
            await quotas.ReleaseAsync(tenant.Id, userId, reservation, time.GetUtcNow(), CancellationToken.None);
            return;
        }

        var released = await wallets.ReleaseAsync(wallet, holdKey, holdKey, CancellationToken.None);
        if (!released.IsSuccess || !released.Value.Succeeded)
        {
            throw new InvalidOperationException($"Releasing the credits held by {holdKey} failed: {released.Error?.Code ?? released.Value.Outcome.ToString()}.");
        }
    }
}
