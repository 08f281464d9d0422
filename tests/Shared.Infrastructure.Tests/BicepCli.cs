using System.Diagnostics;
using System.Text.Json.Nodes;
using TestSupport;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// The Bicep CLI that tests/tools/bicep restores (./test.sh restores it before the tests run; so does
/// tests/tools/bicep/bicep.sh on first use). The infra tests read what the templates compile and evaluate to, not
/// their text.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>The compiled ARM template (or, for a file of exported variables, its variables) of a .bicep file.</summary>
    public static JsonNode Build(string relativePath) =>
        JsonNode.Parse(Run(RepositoryPaths.Root(), new Dictionary<string, string>(), "build", relativePath, "--stdout"))!;

    /// <summary>
    /// What deploying a parameters file into a resource group would create, evaluated offline by `bicep snapshot`:
    /// every resource with its name, properties and scope resolved as far as they do not depend on values known only
    /// in Azure (those stay ARM expressions such as reference(...)). Runs in a copy of infra/, because the command
    /// writes its result next to the parameters file.
    /// </summary>
    public static JsonNode Snapshot(string parametersFile, IReadOnlyDictionary<string, string> environment)
    {
        var copy = Directory.CreateTempSubdirectory("infra-snapshot-");
        try
        {
            CopyDirectory(Path.Combine(RepositoryPaths.Root(), "infra"), copy.FullName);
            Run(copy.FullName, environment, "snapshot", parametersFile, "--mode", "overwrite",
                "--tenant-id", InfraSnapshots.TenantId, "--subscription-id", InfraSnapshots.SubscriptionId,
                "--resource-group", InfraSnapshots.ResourceGroup, "--location", InfraSnapshots.Location);
            var result = Path.Combine(copy.FullName, Path.ChangeExtension(parametersFile, ".snapshot.json"));
            return JsonNode.Parse(File.ReadAllText(result))!;
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static string Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // A bound against a hung compiler, not a speed check: a snapshot finishes well within 3 minutes idle, but over 3 was
        // seen on a 2-core machine under a load average of 40.
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within 15 minutes");
        }

        process.WaitForExit(); // drains the redirected streams
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"bicep {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{errors.Result}\n{output.Result}");
        }

        return output.Result;
    }

    private static string Locate()
    {
        var assets = Path.Combine(RepositoryPaths.Root(), "tests", "tools", "bicep", "obj", "project.assets.json");
        if (!File.Exists(assets))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not restored ({assets} is missing). Run ./test.sh, or tests/tools/bicep/bicep.sh --version, first.");
        }

        var json = JsonNode.Parse(File.ReadAllText(assets))!;
        var packages = json["packageFolders"]!.AsObject().First().Key;
        var library = json["libraries"]!.AsObject()
            .Single(l => l.Key.StartsWith("Azure.Bicep.CommandLine.linux-x64/", StringComparison.Ordinal));
        var executable = Path.Combine(packages, library.Value!["path"]!.GetValue<string>(), "tools", "bicep");
        return File.Exists(executable)
            ? executable
            : throw new InvalidOperationException(
                $"The Bicep CLI is not at {executable}. Run tests/tools/bicep/bicep.sh --version to restore it.");
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
