using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>A customer's pin codes and campaign consent per channel, in one tenant.</summary>
public sealed record CustomerPreferences(TenantId TenantId, UserId UserId, IReadOnlyList<string> PinCodes, ChannelConsent Channels, DateTimeOffset UpdatedAt);
