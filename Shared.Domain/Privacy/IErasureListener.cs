using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>Something holding a user's data outside the stores (an in-memory cache) that must forget it when the user is erased.</summary>
public interface IErasureListener
{
    void OnErased(TenantId tenantId, UserId userId);
}
