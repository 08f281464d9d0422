namespace Shared.Domain.Ai;

/// <summary>What the provider produced, and who produced it (so offline output can never pass for a model's).</summary>
public sealed record AiCompletion(string Text, string Provider, string Model, bool FromCache = false);
