using System.Text.Json.Nodes;
using Shared.Domain.Jobs;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Jobs;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// What infra/ deploys, read from its offline evaluation (bicep snapshot) rather than from the template text, checked
/// against what the code expects of Azure.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class InfraTests(InfraSnapshots infra)
{
    private const string Databases = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases";
    private const string Sites = "Microsoft.Web/sites";

    [Fact]
    public void The_cosmos_containers_deployed_are_the_ones_the_code_uses_with_the_same_partition_keys()
    {
        // Data-plane RBAC cannot create containers, so in Azure every container the code touches must come from here.
        var database = infra.Prod.One(Databases);
        Assert.EndsWith($"/{new CosmosOptions().Database}", (string)database["name"]!, StringComparison.Ordinal);

        var declared = infra.Prod.OfType($"{Databases}/containers")
            .Select(c => c["properties"]!["resource"]!)
            .Select(r => (Name: (string)r["id"]!, Key: r["partitionKey"]!, Ttl: (int)r["defaultTtl"]!))
            .ToList();

        Assert.Equal(
            DeclaredSchema.CosmosContainers().Select(c => $"{c.Name}:{string.Join(",", c.PartitionKeyPaths)}").Order(),
            declared.Select(d => $"{d.Name}:{string.Join(",", d.Key["paths"]!.AsArray().Select(p => (string)p!))}").Order());
        Assert.All(declared, d =>
        {
            var paths = d.Key["paths"]!.AsArray().Count;
            Assert.Equal(paths > 1 ? "MultiHash" : "Hash", (string)d.Key["kind"]!); // hierarchical keys, as the SDK creates them
            Assert.Equal(paths > 1 ? 2 : null, (int?)d.Key["version"]);
            Assert.Equal(-1, d.Ttl); // documents expire by their own ttl only
        });
    }

    [Fact]
    public void The_service_bus_queues_are_the_ones_the_code_sends_to_with_the_same_max_deliveries()
    {
        var queues = infra.Prod.OfType("Microsoft.ServiceBus/namespaces/queues").ToList();

        Assert.Equal(QueueNames.All.Order(), queues.Select(q => ((string)q["name"]!).Split('/')[^1]).Order());
        Assert.All(queues, q =>
        {
            var properties = q["properties"]!;
            Assert.Equal(new JobQueueOptions().MaxDeliveries, (int)properties["maxDeliveryCount"]!);
            Assert.True((bool)properties["requiresDuplicateDetection"]!); // the API sends MessageId = request id
            Assert.True((bool)properties["deadLetteringOnMessageExpiration"]!);
        });
        Assert.True((bool)infra.Prod.One("Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"]!);
        foreach (var site in infra.Prod.OfType(Sites))
        {
            Assert.Equal($"{new JobQueueOptions().MaxDeliveries}", DeploymentSnapshot.Settings(site)["Queue__MaxDeliveries"]);
        }
    }

    [Fact]
    public void Both_apps_are_Linux_custom_handlers_on_an_elastic_premium_plan_with_the_azure_providers()
    {
        var plan = infra.Prod.One("Microsoft.Web/serverfarms");
        Assert.Equal("ElasticPremium", (string)plan["sku"]!["tier"]!);
        Assert.True((bool)plan["properties"]!["reserved"]!); // Linux

        foreach (var name in new[] { "-api-", "-workers-" })
        {
            var site = infra.Prod.Named(Sites, name);
            Assert.Equal("functionapp,linux", (string)site["kind"]!);
            Assert.Equal((string)plan["id"]!, (string)site["properties"]!["serverFarmId"]!);
            Assert.True((bool)site["properties"]!["reserved"]!);
            Assert.True((bool)site["properties"]!["httpsOnly"]!);
            // The platform's own "custom" stack on Linux sets an empty linuxFxVersion; the handler is self-contained.
            Assert.Equal("", (string)site["properties"]!["siteConfig"]!["linuxFxVersion"]!);

            var settings = DeploymentSnapshot.Settings(site);
            Assert.Equal("Custom", settings["FUNCTIONS_WORKER_RUNTIME"]);
            Assert.Equal("~4", settings["FUNCTIONS_EXTENSION_VERSION"]);
            Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
            // Never a local default in Azure (each is also refused in Production by the apps themselves).
            Assert.Equal("Cosmos", settings["Store__Provider"]);
            Assert.Equal("KeyVault", settings["Secrets__Provider"]);
            Assert.Equal("Stripe", settings["Payments__Provider"]);
            Assert.Equal("OpenAI", settings["Ai__Provider"]);
            Assert.Equal("config/tenants.json", settings["Tenants__File"]); // where deploy.sh puts TENANTS_FILE in the package
            Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Notifications__", StringComparison.Ordinal)); // no provider unless its id is given
        }
    }

    [Fact]
    public void The_apps_run_from_their_package_blob_read_with_their_own_identity_and_nothing_uses_a_key()
    {
        var storageName = infra.Prod.Output("storageAccountName");
        var storage = Assert.Single(infra.Prod.OfType("Microsoft.Storage/storageAccounts"), s => (string)s["name"]! == storageName);
        Assert.False((bool)storage["properties"]!["allowSharedKeyAccess"]!);
        Assert.False((bool)storage["properties"]!["allowBlobPublicAccess"]!);
        var container = infra.Prod.One("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal($"{storageName}/default/{infra.Prod.Output("packageContainerName")}", (string)container["name"]!);
        Assert.Equal("None", (string)container["properties"]!["publicAccess"]!);

        foreach (var (name, project) in new[] { ("-api-", "Functions.Api"), ("-workers-", "Functions.Workers") })
        {
            var site = infra.Prod.Named(Sites, name);
            var identity = Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
            Assert.Equal("UserAssigned", (string)site["identity"]!["type"]!);
            Assert.EndsWith($"/userAssignedIdentities/srvless-prod{name}id", identity, StringComparison.Ordinal);

            var settings = DeploymentSnapshot.Settings(site);
            // The blob URL is <account's blob endpoint><container>/<project>.zip; the endpoint is known only in Azure.
            var package = settings["WEBSITE_RUN_FROM_PACKAGE"];
            Assert.Contains($"/storageAccounts/{storageName}'", package, StringComparison.Ordinal);
            Assert.Contains(".primaryEndpoints.blob", package, StringComparison.Ordinal);
            Assert.Contains($"'{infra.Prod.Output("packageContainerName")}'", package, StringComparison.Ordinal);
            Assert.Contains($"'{project}.zip'", package, StringComparison.Ordinal);
            Assert.Equal($"{project}.zip", infra.Prod.Output(name == "-api-" ? "apiPackageBlob" : "workersPackageBlob")); // what deploy.sh uploads
            Assert.Equal(identity, settings["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"]);

            Assert.Equal(storageName, settings["AzureWebJobsStorage__accountName"]);
            Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
            Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
            // An Azure Files content share needs a key (shared keys are off): the run-from-package URL replaces it.
            Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", settings.Keys);
            Assert.DoesNotContain("WEBSITE_CONTENTSHARE", settings.Keys);
            Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
            Assert.DoesNotContain(settings, s => s.Value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
                || s.Value.Contains("SharedAccessKey", StringComparison.OrdinalIgnoreCase));
        }

        Assert.All(infra.Prod.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            p => Assert.False((bool)p["properties"]!["allow"]!));
        Assert.True((bool)infra.Prod.One("Microsoft.DocumentDB/databaseAccounts")["properties"]!["disableLocalAuth"]!);
        Assert.True((bool)infra.Prod.One("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        Assert.True((bool)infra.Prod.One("Microsoft.KeyVault/vaults")["properties"]!["enableRbacAuthorization"]!);
    }

    [Fact]
    public void Every_connection_a_workers_function_names_is_an_identity_based_setting_of_the_workers_app()
    {
        var settings = DeploymentSnapshot.Settings(infra.Prod.Named(Sites, "-workers-"));
        var connections = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root(), "Functions.Workers", "functions"), "function.json", SearchOption.AllDirectories)
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["bindings"]!.AsArray())
            .Select(b => (string?)b!["connection"])
            .OfType<string>()
            .Distinct()
            .ToList();

        Assert.NotEmpty(connections); // the Service Bus triggers
        foreach (var connection in connections)
        {
            Assert.Equal(settings["ServiceBus__FullyQualifiedNamespace"], settings[$"{connection}__fullyQualifiedNamespace"]);
            Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
            Assert.Equal(settings["AZURE_CLIENT_ID"], settings[$"{connection}__clientId"]);
        }
    }

    [Fact]
    public void A_new_vault_seed_renames_the_key_vault_and_nothing_else()
    {
        // deploy.sh keeps the seed in a tag of the resource group: a group deleted and created again gets a new one, so
        // its vault does not collide with the soft-deleted vault of the same group's earlier life; the app names (and
        // so the API's host name) stay the same.
        static IEnumerable<string> OtherNames(DeploymentSnapshot s) =>
            s.Resources.Select(r => (string)r["id"]!).Where(id => !id.Contains("/vaults/", StringComparison.Ordinal));

        var vault = (string)infra.Prod.One("Microsoft.KeyVault/vaults")["name"]!;
        var renamed = (string)infra.ProdWithOtherSeed.One("Microsoft.KeyVault/vaults")["name"]!;

        Assert.NotEqual(vault, renamed);
        Assert.All(new[] { vault, renamed }, n => Assert.InRange(n.Length, 3, 24));
        Assert.Equal(OtherNames(infra.Prod), OtherNames(infra.ProdWithOtherSeed));
    }

    [Fact]
    public void The_production_vault_is_purge_protected_and_the_development_vault_can_be_purged()
    {
        var prod = infra.Prod.One("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool)prod["enableSoftDelete"]!);
        Assert.True((bool)prod["enablePurgeProtection"]!);
        Assert.Equal(90, (int)prod["softDeleteRetentionInDays"]!);

        var dev = infra.Dev.One("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool)dev["enableSoftDelete"]!);
        Assert.Null(dev["enablePurgeProtection"]); // left out: the API takes only true
        Assert.Equal(7, (int)dev["softDeleteRetentionInDays"]!);
    }
}
