namespace Functions.Api.Ai;

/// <summary>The body of <c>POST /ai/generate</c>.</summary>
public sealed class GenerateBody
{
    public string? Prompt { get; set; }
}
