namespace Shared.Domain.Features;

/// <summary>A continuation token the store cannot read (tampered, or from another list).</summary>
public sealed class InvalidContinuationException(string message) : Exception(message);
