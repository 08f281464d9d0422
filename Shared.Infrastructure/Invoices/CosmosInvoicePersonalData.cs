using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// Invoices as personal data (Cosmos DB). They live in the tenant's invoice partition, not the user's, so export and
/// erasure query it by owner. Erasure keeps each invoice de-identified (records tax law requires; see
/// <see cref="SqliteInvoicePersonalData"/>): the owner becomes the user's one pseudonym
/// (<see cref="ErasedUserKey.PseudonymOf"/>), each invoice replaced in place (same partition); a retry finds only the
/// ones not yet replaced and gives them the same pseudonym, a repeat finds none.
/// </summary>
public sealed class CosmosInvoicePersonalData(CosmosDatabase db) : IPersonalDataStore
{
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public string Section => "invoices";

    public async Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var records = (await OwnedAsync(tenantId, userId, cancellationToken)).Select(d => new PersonalDataRecord("invoice", new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["number"] = d.Number,
            ["source_kind"] = d.SourceKind,
            ["source_reference"] = d.SourceReference,
            ["currency"] = d.Currency,
            ["total"] = d.Total.ToString(CultureInfo.InvariantCulture),
            ["tax_amount"] = d.TaxAmount.ToString(CultureInfo.InvariantCulture),
            ["issued_at"] = DateTimeOffset.FromUnixTimeMilliseconds(d.IssuedAtMs).ToString("O", CultureInfo.InvariantCulture),
        }));
        return new PersonalDataSection(Section, [.. records]);
    }

    public async Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        var partition = CosmosInvoiceStore.Partition(tenantId.Value);
        var erased = 0;
        foreach (var document in await OwnedAsync(tenantId, userId, cancellationToken))
        {
            document.OwnerUserId = pseudonym;
            using var payload = CosmosStreams.Serialize(document);
            using var response = await _users.ReplaceItemStreamAsync(payload, document.Id, partition, cancellationToken: cancellationToken);
            response.EnsureSuccessStatusCode();
            erased++;
        }

        return erased;
    }

    private Task<List<InvoiceDocument>> OwnedAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        CosmosQueries.ListAsync<InvoiceDocument>(
            _users,
            new QueryDefinition("SELECT * FROM c WHERE c.type = 'invoice' AND c.owner_user_id = @u").WithParameter("@u", userId.Value),
            CosmosInvoiceStore.Partition(tenantId.Value),
            cancellationToken);
}
