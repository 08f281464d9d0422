using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// deploy.sh's Azure steps (2-7) run against tests/tools/fake-az, a stand-in az CLI that keeps state and logs calls:
/// which principal it deploys as, the vault seed it keeps, what it compiles and deploys, what it uploads where, the
/// order of secrets, restarts and trigger syncs, and its retries. Whether Azure accepts these calls was not tested
/// (no Azure access). Step 1 (publishing) is checked by test.sh through ./deploy.sh --publish-only.
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private const string UserObjectId = "22222222-2222-2222-2222-222222222222"; // what the fake's `ad signed-in-user show` answers
    private const string ServicePrincipalAppId = "11111111-1111-1111-1111-111111111111";
    private const string ServicePrincipalObjectId = "33333333-3333-3333-3333-333333333333";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("deploy-sh-");

    private string State => Path.Combine(_work.FullName, "state");

    private string Packages => Path.Combine(_work.FullName, "packages");

    public DeployScriptTests()
    {
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(Packages);
        File.WriteAllText(Path.Combine(Packages, "Functions.Api.zip"), "api package");
        File.WriteAllText(Path.Combine(Packages, "Functions.Workers.zip"), "workers package");
    }

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public void A_user_deploys_into_a_new_resource_group()
    {
        var (exitCode, output) = Deploy("user");

        Assert.True(exitCode == 0, output);
        var log = Log();
        Assert.Contains("az ad signed-in-user show --query id --output tsv", log);
        Assert.Contains("az group create --name rg-deploy-test --location westeurope --output none", log);

        // A fresh seed, kept on the group, and the parameters deployed carry it with the signed-in user.
        var seed = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(State, "group.json")))!["tags"]!["serverless-vault-seed"]!;
        Assert.Matches("^[0-9a-f]{24}$", seed);
        var parameters = DeployedParameters();
        Assert.Equal(("prod", UserObjectId, "User", seed), parameters);

        // The template deployed is main.bicep compiled by the pinned Bicep CLI.
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(State, "deployed-template.json")))!;
        Assert.StartsWith("0.49.2.", (string)template["metadata"]!["_generator"]!["version"]!, StringComparison.Ordinal);
        Assert.Contains(template["resources"]!.AsArray(), r => (string?)r!["name"] == "workers");

        // Each package went to its blob (after one refusal while the role assignment was not effective yet) ...
        Assert.Equal(
            [$"deployment-packages/Functions.Api.zip {Sha256("api package")}", $"deployment-packages/Functions.Workers.zip {Sha256("workers package")}"],
            File.ReadAllLines(Path.Combine(State, "uploads.txt")));
        Assert.Equal(3, log.Count(l => l.StartsWith("az storage blob upload --auth-mode login", StringComparison.Ordinal)));
        // ... and each app was restarted, then its triggers synced, after the signing key existed.
        var secretSet = log.FindIndex(l => l.StartsWith("az keyvault secret set", StringComparison.Ordinal));
        foreach (var app in new[] { "srvless-prod-api-x", "srvless-prod-workers-x" })
        {
            var restart = log.IndexOf($"az functionapp restart --resource-group rg-deploy-test --name {app} --output none");
            var sync = log.FindIndex(l => l.StartsWith("az rest --method post --url ", StringComparison.Ordinal) && l.Contains($"/sites/{app}/syncfunctiontriggers?", StringComparison.Ordinal));
            Assert.True(secretSet >= 0 && secretSet < restart && restart < sync, string.Join('\n', log));
        }

        Assert.True(File.ReadAllText(Path.Combine(State, "secret-jwt-signing-key")).Length >= 32);
        Assert.DoesNotContain(log, l => l.Contains("--value", StringComparison.Ordinal)); // no secret on a command line
        Assert.Equal("curl -fsS https://srvless-prod-api-x.azurewebsites.net/api/health", log[^1]);
    }

    [Fact]
    public void A_service_principal_redeploys_into_its_group_with_the_same_vault_seed_and_keeps_the_signing_key()
    {
        File.WriteAllText(Path.Combine(State, "group.json"),
            """{"id": "/subscriptions/x/resourceGroups/rg-deploy-test", "tags": {"serverless-vault-seed": "0123456789abcdef01234567"}}""");
        File.WriteAllText(Path.Combine(State, "secret-jwt-signing-key"), "an existing key that must stay");

        var (exitCode, output) = Deploy("servicePrincipal");

        Assert.True(exitCode == 0, output);
        var log = Log();
        Assert.Contains($"az ad sp show --id {ServicePrincipalAppId} --query id --output tsv", log);
        Assert.DoesNotContain(log, l => l.StartsWith("az ad signed-in-user", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.StartsWith("az group create", StringComparison.Ordinal) || l.StartsWith("az tag update", StringComparison.Ordinal));
        Assert.Equal(("prod", ServicePrincipalObjectId, "ServicePrincipal", "0123456789abcdef01234567"), DeployedParameters());
        Assert.DoesNotContain(log, l => l.StartsWith("az keyvault secret set", StringComparison.Ordinal));
        Assert.Equal("an existing key that must stay", File.ReadAllText(Path.Combine(State, "secret-jwt-signing-key")));
    }

    [Fact]
    public void A_managed_identity_has_to_name_its_object_id_and_then_nothing_is_looked_up()
    {
        var (refused, refusal) = Deploy("managedIdentity");
        Assert.NotEqual(0, refused);
        Assert.Contains("set DEPLOYER_OBJECT_ID", refusal, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(State, "deployed-parameters.json")));

        File.Delete(Path.Combine(State, "log.txt"));
        var (exitCode, output) = Deploy("managedIdentity", new()
        {
            ["DEPLOYER_OBJECT_ID"] = "44444444-4444-4444-4444-444444444444",
            ["DEPLOYER_PRINCIPAL_TYPE"] = "ServicePrincipal",
        });

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain(Log(), l => l.StartsWith("az ad ", StringComparison.Ordinal) || l.StartsWith("az account", StringComparison.Ordinal));
        Assert.Equal("44444444-4444-4444-4444-444444444444", DeployedParameters().Deployer);
    }

    private (int ExitCode, string Output) Deploy(string account, Dictionary<string, string>? environment = null)
    {
        var root = RepositoryPaths.Root();
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "deploy.sh"));
        start.ArgumentList.Add("--packages");
        start.ArgumentList.Add(Packages);
        foreach (var inherited in new[] { "DEPLOYER_OBJECT_ID", "DEPLOYER_PRINCIPAL_TYPE", "VAULT_NAME_SEED", "TENANTS_FILE", "LOCATION" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["PATH"] = $"{Path.Combine(root, "tests", "tools", "fake-az")}:{start.Environment["PATH"]}";
        start.Environment["FAKE_AZ_STATE"] = State;
        start.Environment["FAKE_AZ_ACCOUNT"] = account;
        start.Environment["RESOURCE_GROUP"] = "rg-deploy-test";
        start.Environment["ENVIRONMENT"] = "prod";
        start.Environment["DEPLOY_RETRY_PAUSE_SECONDS"] = "0";
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("deploy.sh did not finish within 3 minutes");
        }

        process.WaitForExit();
        return (process.ExitCode, $"{output.Result}\n{errors.Result}");
    }

    private List<string> Log() => [.. File.ReadAllLines(Path.Combine(State, "log.txt"))];

    private (string Environment, string Deployer, string DeployerType, string Seed) DeployedParameters()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(State, "deployed-parameters.json")))!["parameters"]!;
        return ((string)parameters["environment"]!["value"]!, (string)parameters["deployerPrincipalId"]!["value"]!,
            (string)parameters["deployerPrincipalType"]!["value"]!, (string)parameters["vaultNameSeed"]!["value"]!);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
