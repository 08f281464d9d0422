namespace Shared.Domain.Marketplace;

/// <summary>What an install did: <see cref="Counted"/> is false for a repeat (nothing counted); the lifetime count after it.</summary>
public sealed record InstallOutcome(bool Counted, long InstallCount, long ActiveInstalls);
