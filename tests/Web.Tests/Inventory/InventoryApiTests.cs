using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Inventory;

/// <summary>Refresh and inventory through the REST API against the real lab hosts.</summary>
[Collection("Lab")]
public sealed class InventoryApiTests : IDisposable
{
    private readonly LabEnvironment _lab;
    private readonly DashboardFactory _factory = new();
    private readonly HttpClient _api;

    public InventoryApiTests(LabFixture lab)
    {
        _lab = lab.Lab;
        _api = _factory.CreateApiClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    private async Task AddAsync(string name, int index, string username = "root")
    {
        var host = _lab.Host(index);
        var created = await _api.PostAsJsonAsync("/api/hosts", new
        {
            name,
            address = host.Address,
            port = host.Port,
            username,
            privateKeyPath = _lab.Description.KeyPath,
            useSudo = username != "root",
            hostKey = host.HostKeyFingerprint,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Refreshing_a_lab_host_makes_it_online_with_its_containers_bridges_and_features()
    {
        await AddAsync("h1", 1);
        Assert.Equal("unknown", (await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h1")).GetProperty("status").GetString());

        var refreshed = await _api.PostAsync("/api/hosts/h1/refresh", null);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("online", body.GetProperty("status").GetString());
        var inventory = body.GetProperty("inventory");
        var features = inventory.GetProperty("features");
        Assert.True(features.GetProperty("vxlan").GetBoolean());
        Assert.True(features.GetProperty("lxc").GetBoolean());
        Assert.True(features.TryGetProperty("gretap", out _));
        Assert.True(features.TryGetProperty("l2tpv3", out _));
        var containers = inventory.GetProperty("containers").EnumerateArray().ToList();
        Assert.NotEmpty(containers);
        Assert.All(containers, c =>
        {
            Assert.StartsWith("h1-", c.GetProperty("name").GetString());
            Assert.Equal("RUNNING", c.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Array, c.GetProperty("ipv4").ValueKind);
            Assert.Equal(JsonValueKind.False, c.GetProperty("autostart").ValueKind);
        });
        Assert.Equal(JsonValueKind.Array, inventory.GetProperty("bridges").ValueKind);
        Assert.Equal(JsonValueKind.Array, inventory.GetProperty("tunnels").ValueKind);
        Assert.Equal("online", (await _api.GetFromJsonAsync<JsonElement>("/api/hosts")).EnumerateArray().Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_inventory_endpoint_reads_a_host_never_refreshed_and_matches_the_host()
    {
        await AddAsync("h2", 2, username: _lab.Host(2).Users.Sudo);

        var inventory = await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h2/inventory");

        var names = inventory.GetProperty("containers").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        var listed = await _lab.RunOnHostAsync(_lab.Host(2), ["lxc-ls", "-1"]);
        Assert.Equal(listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(), names.Order());
        foreach (var bridge in inventory.GetProperty("bridges").EnumerateArray())
        {
            foreach (var member in bridge.GetProperty("members").EnumerateArray())
            {
                Assert.Contains(member.GetProperty("kind").GetString(), new[] { "container", "tunnel", "physical", "other" });
            }
        }
    }

    [Fact]
    public async Task Unknown_hosts_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsync("/api/hosts/nope/refresh", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/hosts/nope/inventory")).StatusCode);
    }
}
