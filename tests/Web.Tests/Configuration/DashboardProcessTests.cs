using Superbridge.Dashboard;

namespace Superbridge.Web.Tests.Configuration;

/// <summary>Starts the real dashboard process, as the README command does, and checks it obeys the settings file.</summary>
public sealed class DashboardProcessTests
{
    [Fact]
    public async Task Started_dashboard_listens_where_the_settings_file_says_and_creates_its_data_folder_there()
    {
        // DashboardProcess writes a copy of the root appsettings.json naming a free port and a scratch data folder.
        await using var dashboard = await DashboardProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = dashboard.BaseUrl };

        var body = await client.GetStringAsync("api/health");

        Assert.Equal("""{"status":"ok"}""", body);
        Assert.True(File.Exists(Path.Combine(dashboard.DataDirectory, "superbridge.db")));
    }

    [Fact]
    public async Task Sign_in_page_gets_every_stylesheet_and_script_it_names_without_signing_in()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = dashboard.BaseUrl };
        var page = await client.GetStringAsync("login");
        var assets = System.Text.RegularExpressions.Regex.Matches(page, """(?:href|src)="([^"]+\.(?:css|js|svg))" """.TrimEnd())
            .Select(m => m.Groups[1].Value)
            .ToList();

        Assert.Contains(assets, a => a.Contains("MudBlazor", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.Contains("blazor.web", StringComparison.Ordinal));
        Assert.Contains("superbridge.css", assets);
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: {(int)response.StatusCode}");
        }
    }
}
