namespace Functions.Api.Billing;

/// <summary>The optional body of <c>POST /subscriptions/portal</c>.</summary>
public sealed class PortalRequestBody
{
    public string? ReturnUrl { get; set; }
}
