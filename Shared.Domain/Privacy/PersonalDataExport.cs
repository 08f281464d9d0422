using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>Everything stored about one user: one section per feature, as exported at <see cref="ExportedAt"/>.</summary>
public sealed record PersonalDataExport(TenantId TenantId, UserId UserId, DateTimeOffset ExportedAt, IReadOnlyList<PersonalDataSection> Sections);
