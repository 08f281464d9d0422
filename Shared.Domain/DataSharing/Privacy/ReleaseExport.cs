using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// The bytes a release is sold as: its rows as JSON lines (one released count per line) and its manifest as one JSON
/// document. Written here, in the domain, so the property tests check the very bytes that are exported: nothing but the
/// released dimensions (registrable domain, category, kind), the noisy count and public configuration ever appears.
/// </summary>
public static class ReleaseExport
{
    public const string RowsFileName = "rows.jsonl";
    public const string ManifestFileName = "manifest.json";

    public static byte[] RowsJsonLines(PrivateRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var buffer = new MemoryStream();
        foreach (var row in release.Rows)
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("table", TableName(row.Table));
                WriteOptional(writer, "site", row.Site);
                WriteOptional(writer, "category", row.Category);
                WriteOptional(writer, "kind", row.Kind);
                writer.WriteNumber("users", row.Users);
                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    public static byte[] ManifestJson(ReleaseManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", manifest.Tenant.Value);
            writer.WriteString("day", manifest.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteString("release_id", manifest.ReleaseId);
            writer.WriteString("mechanism", manifest.Mechanism);
            writer.WriteNumber("epsilon", manifest.Epsilon);
            writer.WriteNumber("delta", manifest.Delta);
            writer.WriteNumber("rows", manifest.Rows);
            writer.WriteString("rows_file", RowsFileName);
            writer.WriteString("public_suffix_list_source", PublicSuffixList.SourceUrl);
            writer.WriteString("public_suffix_list_version", PublicSuffixList.ShippedVersion);
            writer.WriteStartArray("tables");
            foreach (var table in manifest.Tables)
            {
                writer.WriteStartObject();
                writer.WriteString("table", TableName(table.Table));
                writer.WriteNumber("epsilon", table.Epsilon);
                writer.WriteNumber("delta", table.Delta);
                writer.WriteNumber("max_partitions_per_user", table.MaxPartitionsPerUser);
                writer.WriteString("noise_scale", table.NoiseScale);
                writer.WriteNumber("threshold", table.Threshold);
                writer.WriteNumber("single_contributor_release_probability", table.SingleContributorReleaseProbability);
                writer.WriteNumber("rows", table.Rows);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Both files as text, for checks that scan everything a buyer receives.</summary>
    public static string AllText(PrivateRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return Encoding.UTF8.GetString(RowsJsonLines(release)) + Encoding.UTF8.GetString(ManifestJson(release.Manifest));
    }

    public static string TableName(ReleaseTable table) => table switch
    {
        ReleaseTable.Sites => "sites",
        ReleaseTable.SiteCategories => "site_categories",
        ReleaseTable.Kinds => "kinds",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a release table."),
    };

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
