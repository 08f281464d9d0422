using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using TestSupport;

namespace EndToEnd.Tests;

/// <summary>
/// One of the function apps started the way the Functions host starts a custom handler: its executable, from its
/// build output, with FUNCTIONS_CUSTOMHANDLER_PORT set. Bound to loopback; killed on dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="readyPath">Polled until it answers <paramref name="readyStatus"/>: health and 200 by default.</param>
    public static async Task<AppProcess> StartAsync(string project, IDictionary<string, string> environment, int? port = null, string readyPath = "api/health", HttpStatusCode readyStatus = HttpStatusCode.OK)
    {
        var executable = Path.Combine(RepositoryPaths.Root(), project, "bin", BuildConfiguration(), "net10.0", project);
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"Build {project} first; its executable is missing.", executable);
        }

        port ??= FreePort();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(Process.Start(start)!, port.Value);
        await app.WaitUntilAnsweringAsync(readyPath, readyStatus);
        return app;
    }

    public bool HasExited => _process.HasExited;

    private async Task WaitUntilAnsweringAsync(string path, HttpStatusCode status)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var waiting = Stopwatch.StartNew(); // a duration: immune to the wall clock being set or faked
        while (waiting.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == status)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The app did not answer {path} with {(int)status} within 60 s:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The configuration this test assembly was built in (bin/&lt;Configuration&gt;/net10.0).</summary>
    private static string BuildConfiguration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
