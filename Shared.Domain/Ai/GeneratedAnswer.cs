namespace Shared.Domain.Ai;

/// <summary>What <c>POST /ai/generate</c> answers: the text, the credits it cost (0 when the plan allowance paid or the answer was cached) and whether it came from the cache.</summary>
public sealed record GeneratedAnswer(string Text, long CreditsSpent, bool Cached, string Provider);
