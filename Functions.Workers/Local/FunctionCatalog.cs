using System.Text.Json.Nodes;
using NCrontab;

namespace Functions.Workers.Local;

/// <summary>A function as its function.json declares it: a Service Bus queue it listens on, or a timer schedule.</summary>
public sealed record FunctionDefinition(string Name, string? QueueName, string? MessageBinding, string? Schedule, CrontabSchedule? Cron);

/// <summary>Reads the function.json files from the app directory, as the Functions host does.</summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDefinition> Load(string appDirectory)
    {
        var list = new List<FunctionDefinition>();
        // Like the host: one folder per function directly under the app root, named as the function.
        foreach (var file in Directory.EnumerateDirectories(appDirectory).Select(d => Path.Combine(d, "function.json")).Where(File.Exists).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            var trigger = (JsonNode.Parse(File.ReadAllText(file))?["bindings"]?.AsArray() ?? [])
                .FirstOrDefault(b => ((string?)b?["direction"]) == "in" && ((string?)b?["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true)
                ?? throw new InvalidOperationException($"{file} declares no trigger.");
            switch ((string?)trigger["type"])
            {
                case "serviceBusTrigger":
                    list.Add(new FunctionDefinition(name, (string?)trigger["queueName"] ?? throw new InvalidOperationException($"{file}: queueName missing."), (string?)trigger["name"], null, null));
                    break;
                case "timerTrigger":
                    var schedule = (string?)trigger["schedule"] ?? throw new InvalidOperationException($"{file}: schedule missing.");
                    // The host's timer trigger uses six-field NCRONTAB (with seconds).
                    var cron = CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
                        ?? throw new InvalidOperationException($"{file}: '{schedule}' is not a six-field NCRONTAB expression.");
                    list.Add(new FunctionDefinition(name, null, null, schedule, cron));
                    break;
                case "httpTrigger":
                    // HTTP functions (health) are called over HTTP, locally and under the host; nothing to trigger.
                    break;
                default:
                    throw new InvalidOperationException($"{file}: trigger type '{trigger["type"]}' is not run locally.");
            }
        }

        return list;
    }
}
