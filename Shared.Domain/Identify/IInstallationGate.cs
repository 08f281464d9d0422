using Shared.Domain.Common;

namespace Shared.Domain.Identify;

/// <summary>Decides whether a caller may open one more installation (an abuse limit on user creation).</summary>
public interface IInstallationGate
{
    bool TryAdmit(TenantId tenantId, string? clientAddress);
}
