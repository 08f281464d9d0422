using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Users;

/// <summary>
/// Emails stored before proof-before-linking came from unverified request bodies: after the upgrade they are contacts
/// only, so none of them can be used to claim the account that holds it.
/// </summary>
public sealed class EmailMigrationTests
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static ExtensionId Extension() => ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var id) ? id.Value : throw new InvalidOperationException();

    private static EmailAddress Email(string raw) => EmailAddress.TryParse(raw, out var e) ? e.Value : throw new ArgumentException(raw);

    [Fact]
    public async Task An_email_stored_by_version_6_becomes_a_contact_and_cannot_claim_its_account()
    {
        var path = Path.Combine(Path.GetTempPath(), $"store-tests-{Guid.NewGuid():N}", "v6.db");
        var old = UserId.New();
        var extension = Extension();
        SqliteConnection pooled;
        await using (var first = await StoreSet.SqliteAsync(path: path))
        {
            using (pooled = first.Get<SqliteDatabase>().Open())
            {
            }
        }

        // Back to the version 6 layout, holding a user whose email came from a request body.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                DROP INDEX users_by_verified_email;
                ALTER TABLE users DROP COLUMN verified_email;
                ALTER TABLE users RENAME COLUMN contact_email TO email;
                CREATE UNIQUE INDEX users_by_email ON users (tenant_id, email) WHERE email IS NOT NULL;
                ALTER TABLE installations ADD COLUMN email_settled INTEGER NOT NULL DEFAULT 0;
                INSERT INTO users (tenant_id, user_id, email, role, created_at_ms) VALUES ('alpha', '{old.Value}', 'victim@example.com', 'user', 0);
                INSERT INTO installations (tenant_id, extension_id, user_id, email_settled, created_at_ms) VALUES ('alpha', '{extension.Value}', '{old.Value}', 1, 0);
                DROP TABLE schema_migrations; -- files of the user_version ladder had no migration ledger
                PRAGMA user_version = 6;
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearPool(pooled);
        await using var upgraded = await StoreSet.SqliteAsync(path: path);
        var user = await upgraded.Users.GetAsync(Alpha, old, default);
        var claim = await upgraded.Users.RegisterVerifiedInstallationAsync(Alpha, Extension(), Email("victim@example.com"), UserId.New(), Monday, default);
        var contactTwice = await upgraded.Users.RegisterInstallationAsync(Alpha, Extension(), Email("victim@example.com"), UserId.New(), Monday, default);

        Assert.Equal(((EmailAddress?)null, (EmailAddress?)Email("victim@example.com")), (user!.VerifiedEmail, user.ContactEmail));
        Assert.Equal(old, (await upgraded.Users.FindInstallationAsync(Alpha, extension, default))!.UserId);
        Assert.NotEqual(old, claim.UserId);
        Assert.NotEqual(old, contactTwice.UserId);
        Assert.True((long)upgraded.Get<SqliteDatabase>().Read(c => SqliteDatabase.Scalar(c, null, "PRAGMA user_version;"))! >= 7L); // later steps may follow
    }

    [CosmosFact]
    public async Task An_email_stored_before_verification_in_cosmos_is_a_contact_and_cannot_claim_its_account()
    {
        await using var stores = await StoreSet.CosmosAsync();
        var database = stores.Get<CosmosDatabase>();
        var old = UserId.New();
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        // A user document and an email index document as earlier versions wrote them.
        await Create(database.Container(CosmosContainers.Users), new PartitionKeyBuilder().Add("alpha").Add(old.Value).Build(), $$"""{"id":"user:{{old.Value}}","tenantId":"alpha","userId":"{{old.Value}}","type":"user","email":"{{email}}","role":"user","created_at_ms":0}""");
        var legacyKey = "email:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email)));
        await Create(database.Container(CosmosContainers.Lookups), new PartitionKeyBuilder().Add("alpha").Add(legacyKey).Build(), $$"""{"id":"{{legacyKey}}","tenantId":"alpha","lookupKey":"{{legacyKey}}","user_id":"{{old.Value}}","email_settled":true,"created_at_ms":0}""");

        var user = await stores.Users.GetAsync(Alpha, old, default);
        var claim = await stores.Users.RegisterVerifiedInstallationAsync(Alpha, Extension(), Email(email), UserId.New(), Monday, default);

        Assert.Equal(((EmailAddress?)null, (EmailAddress?)Email(email)), (user!.VerifiedEmail, user.ContactEmail));
        Assert.NotEqual(old, claim.UserId);
        Assert.Equal(EmailClaim.OwnedByAnotherUser, await stores.Users.ClaimVerifiedEmailAsync(Alpha, old, Email(email), Monday, default));
    }

    private static async Task Create(Container container, PartitionKey partitionKey, string json)
    {
        using var payload = new MemoryStream(Encoding.UTF8.GetBytes(json));
        using var response = await container.CreateItemStreamAsync(payload, partitionKey);
        response.EnsureSuccessStatusCode();
    }
}
