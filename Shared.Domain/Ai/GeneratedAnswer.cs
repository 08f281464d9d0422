namespace Shared.Domain.Ai;

/// <summary>
/// What <c>POST /ai/generate</c> answers: the text, the credits it cost (0 when the plan allowance paid, the answer was
/// cached or the settlement failed) and whether it came from the cache. <see cref="UnsettledHold"/> names a credit hold
/// whose settlement failed after the answer was made (and why), for the caller to log; the sweep releases it.
/// </summary>
public sealed record GeneratedAnswer(string Text, long CreditsSpent, bool Cached, string Provider, string? UnsettledHold = null);
