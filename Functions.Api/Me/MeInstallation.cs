namespace Functions.Api.Me;

/// <summary>An installation linked to the caller: its opaque id (<c>ext:</c> + SHA-256 of the extension id) and when it was linked; never a secret.</summary>
public sealed record MeInstallation(string InstallationId, string LinkedAt);
