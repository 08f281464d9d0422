using Shared.Domain.Quotas;

namespace Shared.Domain.Ai;

/// <summary>
/// The GPT-store AI proxy (<c>POST /ai/generate</c>) and the campaign-text writer (configuration section
/// <c>AiGeneration</c>): what one generation costs in credits once the plan allowance is used up, the prompt's size, and
/// each user's fair share (a token bucket per user and a cap on their calls in flight, per instance).
/// </summary>
public sealed class AiGenerationOptions
{
    /// <summary>Credits one uncached generation costs when the user's plan allowance is exhausted.</summary>
    public long CreditsPerGeneration { get; set; } = 1;

    public int MaxPromptLength { get; set; } = 4_000;

    /// <summary>AI calls (both endpoints together) one user may start per minute, per instance.</summary>
    public int PerUserPerMinute { get; set; } = 20;

    /// <summary>AI calls of one user running at once, per instance: one user's burst cannot fill the tenant's AI rate.</summary>
    public int MaxInFlightPerUser { get; set; } = 2;

    /// <summary>
    /// The store-wide cap on a user's open reservations of the plan allowance (feature requests and generations count
    /// together there) under which a generation may reserve one more: all instances see it, unlike the per-instance cap
    /// above. Above it the answer is 429 <c>too_many_pending</c>.
    /// </summary>
    public int MaxReservationsPerUser { get; set; } = 8;

    /// <summary>
    /// How long a reserved use counts as in flight if the process dies before committing or releasing it; also the age
    /// after which a generation's credit hold is released by the user's next paid generation (keep it well above the AI
    /// call's timeout).
    /// </summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(5);

    public InFlightLimit InFlightLimit => new(MaxReservationsPerUser, ReservationTtl);

    public void Validate()
    {
        if (CreditsPerGeneration < 1 || MaxPromptLength < 1 || PerUserPerMinute < 1 || MaxInFlightPerUser < 1 || MaxReservationsPerUser < 1 || ReservationTtl <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("AiGeneration: CreditsPerGeneration, MaxPromptLength, PerUserPerMinute, MaxInFlightPerUser and MaxReservationsPerUser must be at least 1 and ReservationTtl positive.");
        }
    }
}
