namespace Functions.Api.Marketplace;

public sealed record InstallResponse(bool Installed, long InstallCount, long ActiveInstalls);
