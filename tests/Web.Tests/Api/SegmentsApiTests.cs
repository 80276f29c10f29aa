using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

/// <summary>The segments API driven as automation would, against real lab hosts.</summary>
[Collection("Lab")]
public sealed class SegmentsApiTests : IAsyncLifetime
{
    private readonly LabEnvironment _lab;
    private readonly DashboardFactory _factory = new();
    private readonly HttpClient _api;

    public SegmentsApiTests(LabFixture lab)
    {
        _lab = lab.Lab;
        _api = _factory.CreateApiClient();
    }

    public async Task InitializeAsync()
    {
        foreach (var number in new[] { 1, 2 })
        {
            var host = _lab.Host(number);
            var response = await _api.PostAsJsonAsync("/api/hosts", new
            {
                name = $"h{number}",
                address = host.Address,
                username = "root",
                privateKeyPath = _lab.Description.KeyPath,
                hostKey = host.HostKeyFingerprint,
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        // Whatever a failed test left applied is torn down through the product, then the lab is checked clean.
        if ((await _api.GetAsync("/api/segments/apitest")).IsSuccessStatusCode) await _api.TeardownAndWaitAsync("apitest");
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Bad_input_names_each_invalid_field_and_stores_nothing()
    {
        var response = await _api.PostAsJsonAsync("/api/segments", new { name = "apitest", transport = "ethernet-over-pigeon", hostIds = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("transport", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("hostIds", out _), errors.ToString());
        Assert.Empty((await _api.GetFromJsonAsync<JsonElement>("/api/segments")).EnumerateArray());
    }

    [Fact]
    public async Task A_hostile_bridge_name_is_refused_naming_the_field()
    {
        var response = await _api.PostAsJsonAsync("/api/segments", new { name = "apitest", bridge = "br0;reboot", transport = "vxlan", hostIds = new[] { "h1", "h2" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("bridge", out _), errors.ToString());
    }

    [Fact]
    public async Task An_unknown_host_is_refused_naming_its_position()
    {
        var response = await _api.PostAsJsonAsync("/api/segments", new { name = "apitest", transport = "vxlan", hostIds = new[] { "h1", "nope" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("hostIds[1]", out _), errors.ToString());
    }

    [Fact]
    public async Task Gretap_is_refused_on_hosts_whose_kernel_lacks_it()
    {
        var response = await _api.PostAsJsonAsync("/api/segments", new { name = "apitest", transport = "gretap", hostIds = new[] { "h1", "h2" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("gretap", body);
    }

    [Fact]
    public async Task A_vxlan_segment_with_a_router_and_an_attached_container_gives_the_container_a_lease_and_tears_down_clean()
    {
        var overlay = _lab.Description.Overlay;
        var container = _lab.Host(2).Containers[^1];
        // Reading the inventory first leaves it on the dashboard's board: later reads show fresh state only if
        // apply and teardown refreshed it.
        Assert.False(HasBridge(await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h2/inventory"), "sbapi0"));

        var created = await _api.PostAsJsonAsync("/api/segments", new { name = "apitest", bridge = "sbapi0", transport = "vxlan", hostIds = new[] { "h1", "h2" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var segment = await created.Content.ReadFromJsonAsync<JsonElement>();
        var vni = segment.GetProperty("allocation").GetProperty("vni").GetUInt32();

        var plan = await _api.GetFromJsonAsync<JsonElement>("/api/segments/apitest/plan");
        var h1Lines = plan.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("hostId").GetString() == "h1")
            .GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("shell").GetString()).ToList();
        Assert.Contains(h1Lines, l => l!.StartsWith($"ip link add ", StringComparison.Ordinal) && l.Contains($"type vxlan id {vni} local {_lab.Host(1).Address} dstport 4789"));
        Assert.Contains(h1Lines, l => l == $"bridge fdb append 00:00:00:00:00:00 dev {VxlanDevice(segment, "h1")} dst {_lab.Host(2).Address}");

        var router = await _api.PutAsJsonAsync("/api/segments/apitest/router", new
        {
            hostId = "h1",
            gateway = $"{overlay.RouterAddress}/25",
            dhcpRange = $"{overlay.DhcpStart}-{overlay.DhcpEnd}",
            leaseTime = "1h",
            nat = true,
        });
        Assert.True(router.StatusCode == HttpStatusCode.OK, await router.Content.ReadAsStringAsync());
        var attached = await _api.PostAsJsonAsync("/api/segments/apitest/attachments", new { hostId = "h2", container });
        Assert.True(attached.StatusCode == HttpStatusCode.OK, await attached.Content.ReadAsStringAsync());

        var preview = await _api.GetFromJsonAsync<JsonElement>("/api/segments/apitest/plan");
        var apply = await _api.ApplyAndWaitAsync("apitest", preview.GetProperty("fingerprint").GetString());
        Assert.True(apply.GetProperty("status").GetString() == "succeeded", apply.ToString());
        Assert.Equal(preview.GetProperty("fingerprint").GetString(), apply.GetProperty("planFingerprint").GetString());

        Assert.True(HasBridge(await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h2/inventory"), "sbapi0"), "the board still shows h2 as before the apply");

        var address = await WaitForLeaseAsync(container);
        Assert.True(InRange(address, overlay.DhcpStart, overlay.DhcpEnd), $"{address} is not in {overlay.DhcpStart}-{overlay.DhcpEnd}");
        var again = await _api.GetFromJsonAsync<JsonElement>("/api/segments/apitest/plan");
        Assert.All(again.GetProperty("hosts").EnumerateArray(), h => Assert.Empty(h.GetProperty("steps").EnumerateArray()));

        var deleted = await _api.TeardownAndWaitAsync("apitest");
        Assert.True(deleted.GetProperty("status").GetString() == "succeeded", deleted.ToString());
        var links = await _lab.SshAsRootAsync(_lab.Host(1), "ip -br link show");
        Assert.DoesNotContain("sbapi0", links.StandardOutput);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/segments/apitest")).StatusCode);
        Assert.False(HasBridge(await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h2/inventory"), "sbapi0"), "the board still shows h2 as before the teardown");
    }

    private static bool HasBridge(JsonElement inventory, string bridge) =>
        inventory.GetProperty("bridges").EnumerateArray().Any(b => b.GetProperty("name").GetString() == bridge);

    private static string VxlanDevice(JsonElement segment, string host) =>
        segment.GetProperty("allocation").GetProperty("vxlanDevices").EnumerateArray()
            .Single(d => d.GetProperty("host").GetString() == host).GetProperty("device").GetString()!;

    private async Task<string> WaitForLeaseAsync(string container)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var ls = await _lab.SshAsRootAsync(_lab.Host(2), $"lxc-ls -f -F NAME,IPV4 {container}");
            var line = ls.StandardOutput.Split('\n').Skip(1).FirstOrDefault(l => l.StartsWith(container, StringComparison.Ordinal));
            var address = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault(a => a != "-");
            if (address is not null) return address.TrimEnd(',');
            await Task.Delay(500);
        }
        throw new TimeoutException($"{container} got no IPv4 address within 30 s");
    }

    private static bool InRange(string address, string start, string end)
    {
        static uint Value(string a) => a.Split('.').Aggregate(0u, (v, part) => (v << 8) | uint.Parse(part));
        return Value(address) >= Value(start) && Value(address) <= Value(end);
    }
}
