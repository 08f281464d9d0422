namespace Functions.Api.Features;

/// <summary>The body of <c>POST /features/requests</c>.</summary>
public sealed class FeatureRequestBody
{
    public string? RequestText { get; set; }
}
