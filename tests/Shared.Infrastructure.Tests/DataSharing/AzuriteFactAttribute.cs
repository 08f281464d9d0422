using Xunit;

namespace Shared.Infrastructure.Tests.DataSharing;

/// <summary>
/// A test against Azurite's Blob endpoint (AZURITE_BLOB_CONNECTION_STRING, which ./test.sh sets after starting npm's
/// azurite); skipped, with the reason shown, when it is not set — and ./test.sh fails on any skip, so there it runs.
/// </summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public const string Variable = "AZURITE_BLOB_CONNECTION_STRING";

    public AzuriteFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set (./test.sh starts Azurite and sets it).";
        }
    }
}
