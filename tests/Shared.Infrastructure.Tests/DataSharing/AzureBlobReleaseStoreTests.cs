using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Shared.Domain.Common;
using Shared.Infrastructure.DataSharing;
using Xunit;

namespace Shared.Infrastructure.Tests.DataSharing;

/// <summary>The Blob Storage exporter against Azurite: a container per tenant, files written once and never replaced.</summary>
public sealed class AzureBlobReleaseStoreTests
{
    private static BlobServiceClient Service() => new(Environment.GetEnvironmentVariable(AzuriteFactAttribute.Variable));

    [AzuriteFact]
    public async Task A_file_is_written_once_into_the_tenants_container_and_never_replaced()
    {
        var service = Service();
        var store = new AzureBlobReleaseStore(service);
        var tenant = TenantId.Parse($"t{Guid.NewGuid():N}"[..20]);
        var rows = Encoding.UTF8.GetBytes("{\"table\":\"sites\",\"site\":\"example.com\",\"users\":140}\n");

        await store.WriteOnceAsync(tenant, "2026-11-22/rows.jsonl", rows, default);
        await store.WriteOnceAsync(tenant, "2026-11-22/rows.jsonl", rows, default); // a retried export finds its own bytes

        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteOnceAsync(tenant, "2026-11-22/rows.jsonl", Encoding.UTF8.GetBytes("forged\n"), default));
        Assert.Contains("never replaced", other.Message, StringComparison.Ordinal);
        Assert.Equal(rows, await store.ReadAsync(tenant, "2026-11-22/rows.jsonl", default));
        Assert.Null(await store.ReadAsync(tenant, "2026-11-23/rows.jsonl", default));

        var container = service.GetBlobContainerClient("dp-" + tenant.Value);
        Assert.True(await container.ExistsAsync());
        var properties = await container.GetBlobClient("2026-11-22/rows.jsonl").GetPropertiesAsync();
        Assert.Equal("application/x-ndjson", properties.Value.ContentType);

        // The upload condition itself: a plain If-None-Match:* upload onto the existing blob is refused by the service.
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("2026-11-22/rows.jsonl").UploadAsync(
            BinaryData.FromString("x"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }));
        Assert.Equal(409, refused.Status);
    }

    [AzuriteFact]
    public async Task Tenants_get_separate_containers_and_cannot_read_each_others_files()
    {
        var store = new AzureBlobReleaseStore(Service());
        var a = TenantId.Parse($"a{Guid.NewGuid():N}"[..20]);
        var b = TenantId.Parse($"b{Guid.NewGuid():N}"[..20]);
        await store.WriteOnceAsync(a, "2026-11-22/manifest.json", Encoding.UTF8.GetBytes("{}\n"), default);

        Assert.Null(await store.ReadAsync(b, "2026-11-22/manifest.json", default));
        Assert.NotEqual(ReleaseContainerNames.For(a), ReleaseContainerNames.For(b));
        Assert.StartsWith("dp-h", ReleaseContainerNames.For(TenantId.Parse("x--y")), StringComparison.Ordinal);
    }
}
