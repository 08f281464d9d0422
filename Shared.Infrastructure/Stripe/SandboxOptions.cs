namespace Shared.Infrastructure.Stripe;

public sealed class SandboxOptions
{
    /// <summary>The app's own address, for the sandbox pages' links and for delivering events to its webhook.</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:7071";
}
