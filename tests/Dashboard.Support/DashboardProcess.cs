using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Superbridge.Lab;

namespace Superbridge.Dashboard;

/// <summary>
/// The dashboard as a user runs it: <c>dotnet Superbridge.Web.dll</c> from src/Web's build output, reading a copy of the
/// root appsettings.json (via SUPERBRIDGE_SETTINGS) that points it at a free loopback port and a scratch data folder.
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    public const string AdminUser = "admin";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly string _scratch;

    private DashboardProcess(Process process, ConcurrentQueue<string> output, string scratch, Uri baseUrl, string dataDirectory, string adminPassword, string apiToken)
    {
        _process = process;
        _output = output;
        _scratch = scratch;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        AdminPassword = adminPassword;
        ApiToken = apiToken;
    }

    public Uri BaseUrl { get; }
    public string DataDirectory { get; }
    public string AdminPassword { get; }
    public string ApiToken { get; }
    public int ProcessId => _process.Id;

    /// <summary>Everything the process wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The folder of Superbridge.Web.dll built in the same configuration as the caller.</summary>
    public static string WebOutputDirectory()
    {
        var configuration = typeof(DashboardProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.Combine(LabEnvironment.FindRepositoryRoot(), "src", "Web", "bin", configuration, "net10.0");
    }

    /// <summary>Starts the process and waits until /api/health answers.</summary>
    /// <param name="settings">Extra settings under "Superbridge" (e.g. SSH timeouts).</param>
    public static async Task<DashboardProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null, TimeSpan? startTimeout = null)
    {
        var scratch = Directory.CreateTempSubdirectory("superbridge-dashboard-").FullName;
        var port = FreeLoopbackPort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var dataDirectory = Path.Combine(scratch, "data");
        var adminPassword = $"pw-{Guid.NewGuid():N}";
        var apiToken = $"token-{Guid.NewGuid():N}";

        var root = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(LabEnvironment.FindRepositoryRoot(), "appsettings.json")))!;
        root["Urls"] = baseUrl.GetLeftPart(UriPartial.Authority);
        var superbridge = root["Superbridge"]!;
        superbridge["DataDirectory"] = dataDirectory;
        superbridge["AdminPassword"] = adminPassword;
        superbridge["ApiToken"] = apiToken;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            superbridge[key] = value;
        var settingsFile = Path.Combine(scratch, "appsettings.json");
        await File.WriteAllTextAsync(settingsFile, root.ToJsonString());

        var web = WebOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch,
        };
        start.ArgumentList.Add(Path.Combine(web, "Superbridge.Web.dll"));
        start.Environment["SUPERBRIDGE_SETTINGS"] = settingsFile;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var dashboard = new DashboardProcess(process, output, scratch, baseUrl, dataDirectory, adminPassword, apiToken);
        try
        {
            await dashboard.WaitHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(90));
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the dashboard exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync("api/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (clock.Elapsed < timeout)
            {
            }
            catch (TaskCanceledException) when (clock.Elapsed < timeout)
            {
            }
            if (clock.Elapsed >= timeout)
                throw new TimeoutException($"the dashboard did not answer /api/health within {timeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>An HTTP client for the REST API, with the bearer token set.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiToken);
        return client;
    }

    /// <summary>The server's resident memory (VmRSS from /proc), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return kilobytes * 1024;
        }
        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (IOException)
            {
                // The killed process may hold a file for a moment; the temp folder is the OS's to clean then.
            }
        }
    }
}
