using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

/// <summary><c>GET /api/containers</c> from the hosts' last reads (the captured sbcap-a inventory and the lab h1 run).</summary>
public sealed class ContainersApiTests : IDisposable
{
    private readonly DashboardFactory _dashboard = new();
    private readonly FakeHostInventorySource _inventory = new();
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _api;

    public ContainersApiTests()
    {
        _factory = _dashboard.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<IHostInventorySource>(_inventory)));
        _api = _factory.CreateApiClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
        _dashboard.Dispose();
    }

    private async Task ReadHostsAsync()
    {
        var hosts = _factory.Services.GetRequiredService<HostStore>();
        foreach (var (id, address) in new[] { ("ha", InventoryFixtures.CaptureAddress), ("h1", "198.51.100.1") })
            await hosts.AddAsync(new StoredHost
            {
                Id = id, Name = id, Address = address, Username = "root", Authentication = HostAuthenticationKind.KeyPath,
                PrivateKeyPath = "/root/.ssh/id_ed25519", HostKeyFingerprint = FakeHostRegistrar.Fingerprint,
            });
        _inventory.Answer(InventoryFixtures.Capture("ha"));
        _inventory.Answer(InventoryFixtures.LabH1("h1"));
        foreach (var id in new[] { "ha", "h1" }) Assert.True((await _api.PostAsync($"/api/hosts/{id}/refresh", null)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Every_container_of_every_read_host_is_one_item_with_state_addresses_autostart_and_interfaces()
    {
        await ReadHostsAsync();

        var items = (await _api.GetFromJsonAsync<JsonElement>("/api/containers")).EnumerateArray().ToList();

        Assert.Equal(["h1/h1-c1", "h1/h1-c2", "ha/sbcap-c1", "ha/sbcap-c2", "ha/sbcap-c3"],
            items.Select(i => $"{i.GetProperty("hostId").GetString()}/{i.GetProperty("name").GetString()}").Order(StringComparer.Ordinal));
        var c1 = items.Single(i => i.GetProperty("name").GetString() == "sbcap-c1");
        Assert.Equal("RUNNING", c1.GetProperty("state").GetString());
        Assert.True(c1.GetProperty("autostart").GetBoolean());
        Assert.Contains("10.77.0.65", c1.GetProperty("ipv4").EnumerateArray().Select(a => a.GetString()));
        var nic = Assert.Single(c1.GetProperty("interfaces").EnumerateArray());
        Assert.Equal(("sbcap-br0", 0), (nic.GetProperty("bridge").GetString(), nic.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task The_query_filters_by_host_state_and_text()
    {
        await ReadHostsAsync();

        Assert.Equal(2, (await _api.GetFromJsonAsync<JsonElement>("/api/containers?hostId=h1")).GetArrayLength());
        Assert.Equal(["sbcap-c2"], (await _api.GetFromJsonAsync<JsonElement>("/api/containers?state=stopped")).EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["sbcap-c2"], (await _api.GetFromJsonAsync<JsonElement>("/api/containers?q=sbcap-br1")).EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }
}
