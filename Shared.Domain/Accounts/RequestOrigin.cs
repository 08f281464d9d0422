namespace Shared.Domain.Accounts;

/// <summary>Where a request came from, for limits and the audit log: the client address key (IPv6 per /64) and the correlation id.</summary>
public sealed record RequestOrigin(string Address, string? CorrelationId);
