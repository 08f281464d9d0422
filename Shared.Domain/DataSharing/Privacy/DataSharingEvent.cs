namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// One raw event of an opted-in user, as kept until the night's release: the site is already reduced to its
/// registrable domain at submission, so no page address is ever stored. The user id serves only to bound the user's
/// contribution inside the release and never leaves it.
/// </summary>
public sealed record DataSharingEvent(Common.UserId UserId, RegistrableDomain Site, DataSharingEventKind Kind, DateTimeOffset At);
