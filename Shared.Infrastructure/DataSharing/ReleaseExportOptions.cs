namespace Shared.Infrastructure.DataSharing;

/// <summary>Where released datasets are written (section <c>DataSharing:Export</c>).</summary>
public sealed class ReleaseExportOptions
{
    public const string FolderProvider = "Folder";
    public const string AzureBlobProvider = "AzureBlob";

    /// <summary>
    /// <see cref="FolderProvider"/> (local runs without Node; refused in Production) or <see cref="AzureBlobProvider"/>.
    /// Unset: the folder outside Production; in Production the app starts but every export fails loudly until it is set.
    /// </summary>
    public string? Provider { get; set; }

    /// <summary>The folder adapter's root (relative paths under the content root); one sub-folder per tenant.</summary>
    public string Folder { get; set; } = ".data/data-sharing-releases-LOCAL-FOLDER";

    /// <summary>Blob endpoint reached with the app's managed identity (Azure), e.g. https://account.blob.core.windows.net.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>A connection string instead of managed identity: Azurite locally (UseDevelopmentStorage=true or an explicit one).</summary>
    public string? ConnectionString { get; set; }
}
