using Shared.Domain.Common;

namespace Shared.Domain.Wallets;

/// <summary>One wallet: an owner (a user of a tenant) has at most one wallet of each kind.</summary>
public sealed record WalletKey(TenantId TenantId, UserId UserId, WalletKind Kind);
