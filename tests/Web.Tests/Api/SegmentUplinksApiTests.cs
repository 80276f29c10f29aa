using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Operations;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Api;

/// <summary>
/// Uplinks through the API: h1 and h2 answer the captured lab inventory (<see cref="FakeHostInventorySource"/>): eth0 carries
/// the SSH address and the default route, the container veths are spare NICs.
/// </summary>
public sealed class SegmentUplinksApiTests : IAsyncLifetime
{
    private readonly DashboardFactory _dashboard = new();
    private readonly FakeHostInventorySource _inventory = new();
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _api;
    private string _spare = "";

    public SegmentUplinksApiTests()
    {
        _factory = _dashboard.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<IHostInventorySource>(_inventory);
            services.AddSingleton<IPathProber, InterfaceMtuPaths>();
        }));
        _api = _factory.CreateApiClient();
    }

    public async Task InitializeAsync()
    {
        var hosts = _factory.Services.GetRequiredService<HostStore>();
        await hosts.AddAsync(Host("h1", "198.51.100.1"));
        await hosts.AddAsync(Host("h2", "198.51.100.2"));
        var h1 = InventoryFixtures.CurrentLabH1("h1");
        _inventory.Answer(h1);
        _inventory.Answer(InventoryFixtures.CurrentLabH1("h2"));
        _spare = InventoryFixtures.SpareNic(h1.Host);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _factory.DisposeAsync();
        await _dashboard.DisposeAsync();
    }

    private Task<HttpResponseMessage> CreateAsync(params object[] uplinks) =>
        _api.PostAsJsonAsync("/api/segments", new { name = "upl", transport = "vxlan", hostIds = new[] { "h1", "h2" }, uplinks });

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    [Fact]
    public async Task A_segment_created_with_an_uplink_answers_with_it()
    {
        var response = await CreateAsync(new { hostId = "h1", @interface = _spare });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uplinks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uplinks");
        Assert.Equal($$"""[{"hostId":"h1","interface":"{{_spare}}"}]""", uplinks.GetRawText());
        var stored = await _api.GetFromJsonAsync<JsonElement>("/api/segments/upl");
        Assert.Equal(uplinks.GetRawText(), stored.GetProperty("uplinks").GetRawText());
    }

    [Fact]
    public async Task An_uplink_on_the_ssh_nic_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var errors = await ErrorsAsync(await CreateAsync(new { hostId = "h1", @interface = "eth0" }));

        var message = Assert.Single(errors.GetProperty("uplinks[0].interface").EnumerateArray()).GetString();
        Assert.StartsWith("eth0 carries h1's SSH and tunnel address 198.51.100.1", message);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/segments/upl")).StatusCode);
    }

    [Fact]
    public async Task An_uplink_without_its_fields_is_refused_naming_each()
    {
        var errors = await ErrorsAsync(await CreateAsync(new { hostId = "h1" }, new { @interface = "eth1" }));

        Assert.True(errors.TryGetProperty("uplinks[0].interface", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("uplinks[1].hostId", out _), errors.ToString());
    }

    [Fact]
    public async Task Two_uplinks_without_stp_are_refused_as_a_loop()
    {
        var other = InventoryFixtures.CurrentLabH1().Host.Links.Last(l => l.Name.StartsWith("veth", StringComparison.Ordinal)).Name;
        Assert.NotEqual(_spare, other);
        var errors = await ErrorsAsync(await CreateAsync(new { hostId = "h1", @interface = _spare }, new { hostId = "h1", @interface = other }));

        Assert.Contains("make a loop", Assert.Single(errors.GetProperty("uplinks").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Adding_and_removing_an_uplink_changes_what_is_wanted_and_the_plan_previews_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync()).StatusCode);

        var added = await _api.PostAsJsonAsync("/api/segments/upl/uplinks", new { hostId = "h1", @interface = _spare });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(_spare, (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uplinks")[0].GetProperty("interface").GetString());
        var planned = await _api.GetAsync("/api/segments/upl/plan");
        Assert.True(planned.IsSuccessStatusCode, await planned.Content.ReadAsStringAsync());
        var plan = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var h1 = plan.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("hostId").GetString() == "h1");
        Assert.Contains(h1.GetProperty("steps").EnumerateArray(), s => s.GetProperty("shell").GetString() == $"ip link set dev {_spare} master superbr0");

        var twice = await _api.PostAsJsonAsync("/api/segments/upl/uplinks", new { hostId = "h1", @interface = _spare });
        Assert.True((await ErrorsAsync(twice)).TryGetProperty("interface", out _));

        var removed = await _api.DeleteAsync($"/api/segments/upl/uplinks/h1/{_spare}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty((await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("uplinks").EnumerateArray());
        Assert.True((await ErrorsAsync(await _api.DeleteAsync($"/api/segments/upl/uplinks/h1/{_spare}"))).TryGetProperty("interface", out _));
    }
}
