using System.Text.Json.Nodes;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// infra/ evaluated once for the infra tests: prod and dev as deploy.sh would deploy them (deploy.sh exports the
/// deployer and the vault seed the parameters files read), prod once more with another seed, and the role table.
/// </summary>
public sealed class InfraSnapshots : IAsyncLifetime
{
    public const string TenantId = "00000000-0000-0000-0000-0000000000a1";
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000b2";
    public const string ResourceGroup = "rg-infra-tests";
    public const string Location = "westeurope";
    public const string DeployerObjectId = "00000000-0000-0000-0000-0000000000d3";
    public const string Seed = "seed-one-0123456789";
    public const string OtherSeed = "seed-two-9876543210";

    public DeploymentSnapshot Prod { get; private set; } = null!;

    public DeploymentSnapshot ProdWithOtherSeed { get; private set; } = null!;

    /// <summary>Deployed by a user (prod is deployed by a service principal, as from CI).</summary>
    public DeploymentSnapshot Dev { get; private set; } = null!;

    /// <summary>infra/roles.bicep compiled: its exported tables are the template's variables.</summary>
    public JsonNode Roles { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prod = Task.Run(() => Snapshot("prod.bicepparam", "ServicePrincipal", Seed));
        var prodWithOtherSeed = Task.Run(() => Snapshot("prod.bicepparam", "ServicePrincipal", OtherSeed));
        var dev = Task.Run(() => Snapshot("dev.bicepparam", "User", Seed));
        var roles = Task.Run(() => BicepCli.Build("infra/roles.bicep"));
        Prod = new DeploymentSnapshot(await prod);
        ProdWithOtherSeed = new DeploymentSnapshot(await prodWithOtherSeed);
        Dev = new DeploymentSnapshot(await dev);
        Roles = await roles;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonNode Snapshot(string parametersFile, string deployerType, string seed) =>
        BicepCli.Snapshot(parametersFile, new Dictionary<string, string>
        {
            ["DEPLOYER_OBJECT_ID"] = DeployerObjectId,
            ["DEPLOYER_PRINCIPAL_TYPE"] = deployerType,
            ["VAULT_NAME_SEED"] = seed,
        });
}
