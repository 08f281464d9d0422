using Shared.Domain.Common;
using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>A customer a campaign targets and the requested channels the customer consented to (never empty).</summary>
public sealed record AudienceMember(UserId UserId, IReadOnlyList<NotificationChannel> Channels);
