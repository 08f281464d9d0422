using Shared.Domain.Audit;

namespace Shared.Domain.Privacy;

/// <summary>
/// GDPR articles 15 and 20: everything stored about the caller, one section per feature (every feature registers an
/// <see cref="IPersonalDataStore"/>), sorted by section name. The export is audited before it is answered: if the audit
/// log cannot record it, no data leaves.
/// </summary>
public sealed class ExportPersonalData(IEnumerable<IPersonalDataStore> stores, IAuditLog audit, TimeProvider time)
{
    public async Task<PersonalDataExport> HandleAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sections = new List<PersonalDataSection>();
        foreach (var store in stores.OrderBy(s => s.Section, StringComparer.Ordinal))
        {
            sections.Add(await store.ExportAsync(request.TenantId, request.UserId, cancellationToken));
        }

        var now = time.GetUtcNow();
        await audit.AppendAsync(
            new AuditEntry(request.TenantId, AuditActions.DataExport, request.UserId.Value, request.UserId.Value, now, request.Address, request.CorrelationId, new Dictionary<string, string>(StringComparer.Ordinal) { ["sections"] = sections.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            cancellationToken);
        return new PersonalDataExport(request.TenantId, request.UserId, now, sections);
    }
}
