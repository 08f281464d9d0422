using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;

namespace Shared.Infrastructure.DataSharing;

/// <summary>
/// The container (Blob Storage) or folder (local adapter) of a tenant's releases: <c>dp-&lt;tenant&gt;</c>. Blob container
/// names forbid consecutive dashes, which tenant ids allow, so such a tenant gets a name from a hash of its id instead.
/// </summary>
public static class ReleaseContainerNames
{
    public static string For(TenantId tenantId) =>
        tenantId.Value.Contains("--", StringComparison.Ordinal)
            ? "dp-h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId.Value)))[..32]
            : "dp-" + tenantId.Value;
}
