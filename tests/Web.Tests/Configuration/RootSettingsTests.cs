using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Configuration;

public sealed class RootSettingsTests
{
    private static readonly string RootSettingsFile = System.IO.Path.Combine(RepositoryRoot.Path, "appsettings.json");

    [Fact]
    public void The_root_appsettings_file_is_a_configuration_source_of_the_app()
    {
        using var factory = new DashboardFactory();
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();

        var jsonFiles = configuration.Providers.OfType<JsonConfigurationProvider>()
            .Select(p => System.IO.Path.Combine(((PhysicalFileProvider)p.Source.FileProvider!).Root, p.Source.Path!))
            .ToList();

        Assert.Contains(RootSettingsFile, jsonFiles);
    }

    [Fact]
    public async Task Health_endpoint_answers_ok()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient();

        var body = await client.GetStringAsync("/api/health");

        Assert.Equal("""{"status":"ok"}""", body);
    }

    [Fact]
    public async Task First_start_creates_database_and_key_ring_in_the_data_folder()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient();
        await client.GetStringAsync("/api/health");

        Assert.True(File.Exists(System.IO.Path.Combine(factory.DataDirectory, "superbridge.db")));
        Assert.NotEmpty(Directory.GetFiles(System.IO.Path.Combine(factory.DataDirectory, "keys"), "key-*.xml"));
    }
}
