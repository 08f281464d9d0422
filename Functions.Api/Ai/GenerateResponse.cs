namespace Functions.Api.Ai;

/// <summary>The answer of <c>POST /ai/generate</c>: <c>credits_spent</c> is 0 when the plan allowance paid or the answer was cached; <c>generated_by</c> names the provider (offline output is labelled).</summary>
public sealed record GenerateResponse(string Text, long CreditsSpent, bool Cached, string GeneratedBy);
