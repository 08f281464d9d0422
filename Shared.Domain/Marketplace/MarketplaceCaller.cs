using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>Who calls, as the validated token says: the user and whether they hold the creator or admin role.</summary>
public sealed record MarketplaceCaller(UserId Id, bool IsCreator, bool IsAdmin);
