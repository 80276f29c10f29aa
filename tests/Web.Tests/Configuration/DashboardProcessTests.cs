using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Configuration;

/// <summary>Starts the real dashboard process, as the README command does, and checks it obeys the settings file.</summary>
public sealed class DashboardProcessTests
{
    [Fact]
    public async Task Started_dashboard_listens_where_the_settings_file_says_and_creates_its_data_folder_there()
    {
        using var scratch = new TemporaryDirectory();
        var port = FreeLoopbackPort();
        var settings = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "appsettings.json")))!;
        settings["Urls"] = $"http://127.0.0.1:{port}";
        settings["Superbridge"]!["DataDirectory"] = System.IO.Path.Combine(scratch.Path, "data");
        var settingsFile = System.IO.Path.Combine(scratch.Path, "appsettings.json");
        await File.WriteAllTextAsync(settingsFile, settings.ToJsonString());

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "Superbridge.Web.dll"));
        start.Environment["SUPERBRIDGE_SETTINGS"] = settingsFile;
        start.Environment.Remove("ASPNETCORE_URLS");
        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient();
            var body = await PollAsync(client, $"http://127.0.0.1:{port}/api/health", TimeSpan.FromSeconds(60));

            Assert.Equal("""{"status":"ok"}""", body);
            Assert.True(File.Exists(System.IO.Path.Combine(scratch.Path, "data", "superbridge.db")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> PollAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await client.GetStringAsync(url);
            }
            catch (HttpRequestException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(250);
            }
        }
    }
}
