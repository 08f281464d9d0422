using System.Diagnostics;
using System.Globalization;
using Shared.Domain.Accounts;

// One PBKDF2-SHA256 hash (and one verification) at the production cost, measured a few times after a warm-up.
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : PasswordHashOptions.ProductionIterations;
var hasher = new PasswordHasher(new PasswordHashOptions { Iterations = iterations });
var hash = hasher.Hash("warm-up password 123");
var timings = new List<double>();
for (var i = 0; i < 5; i++)
{
    var watch = Stopwatch.StartNew();
    hash = hasher.Hash("benchmark password " + i.ToString(CultureInfo.InvariantCulture));
    timings.Add(watch.Elapsed.TotalMilliseconds);
}

var verify = Stopwatch.StartNew();
var check = hasher.Verify("benchmark password 4", hash);
var verifyMs = verify.Elapsed.TotalMilliseconds;
timings.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PBKDF2-SHA256, {iterations} iterations, 16-byte salt, 32-byte key: hash median {timings[2]:F0} ms (min {timings[0]:F0}, max {timings[^1]:F0}) over 5; verify {verifyMs:F0} ms ({check}); {Environment.ProcessorCount} logical cores"));
