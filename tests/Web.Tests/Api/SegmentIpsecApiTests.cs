using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Tests.Ipsec;
using Superbridge.Web.Tests.Support;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Api;

/// <summary>
/// <c>GET /api/segments/{id}</c> of an encrypted segment: each pair's SAs from the hosts' last inventories (answered by
/// <see cref="FakeHostInventorySource"/> with a captured <c>swanctl --list-sas</c>), times made absolute with the read's time.
/// </summary>
public sealed class SegmentIpsecApiTests : IDisposable
{
    // From vm1-established.txt: IKE SA established 16 s before the read; the earliest rekey is the -out child's; -in received 624 bytes, -out sent 540.
    private const long EstablishedAgo = 16;
    private const long NextRekeyIn = 3250;
    private static readonly (long, long, long, long) Traffic = (624, 3, 540, 5);

    private readonly DashboardFactory _dashboard = new();
    private readonly FakeHostInventorySource _inventory = new();
    private readonly FixedTimeProvider _time = new();
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _api;

    public SegmentIpsecApiTests()
    {
        _factory = _dashboard.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<IHostInventorySource>(_inventory);
            services.AddSingleton<TimeProvider>(_time);
        }));
        _api = _factory.CreateApiClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
        _dashboard.Dispose();
    }

    private async Task<JsonElement> SegmentAfterReadingAsync(string vm1Fixture)
    {
        var hosts = _factory.Services.GetRequiredService<HostStore>();
        foreach (var host in SaFixtures.Hosts().Hosts) await hosts.AddAsync(host);
        await _factory.Services.GetRequiredService<SegmentStore>().SaveDesiredAsync(
            SegmentAllocator.Allocate(SaFixtures.Spec, SaFixtures.Hosts().Infos(), []).Value);
        var captured = InventoryFixtures.Capture(SaFixtures.Vm1);
        _inventory.Answer(captured with { Host = captured.Host with { IpsecSas = SaFixtures.Read(vm1Fixture) } });
        // sblab-vm2 has no answer: it is offline, never read.
        Assert.True((await _api.PostAsync($"/api/hosts/{SaFixtures.Vm1}/refresh", null)).IsSuccessStatusCode);
        Assert.True((await _api.PostAsync($"/api/hosts/{SaFixtures.Vm2}/refresh", null)).IsSuccessStatusCode);
        return await _api.GetFromJsonAsync<JsonElement>("/api/segments/blue");
    }

    [Fact]
    public async Task An_encrypted_segment_shows_per_pair_whether_each_end_has_its_sa_since_when_its_traffic_and_next_rekey()
    {
        var body = await SegmentAfterReadingAsync("vm1-established.txt");

        var link = Assert.Single(body.GetProperty("ipsec").EnumerateArray());
        Assert.Equal((SaFixtures.Vm1, SaFixtures.Vm2, SaFixtures.Connection),
            (link.GetProperty("a").GetString(), link.GetProperty("b").GetString(), link.GetProperty("connection").GetString()));
        var vm1 = link.GetProperty("endA");
        Assert.Equal("established", vm1.GetProperty("state").GetString());
        Assert.True(vm1.GetProperty("established").GetBoolean());
        var read = FixedTimeProvider.Start;
        Assert.Equal(read, vm1.GetProperty("readAt").GetDateTimeOffset());
        Assert.Equal(read - TimeSpan.FromSeconds(EstablishedAgo), vm1.GetProperty("establishedAt").GetDateTimeOffset());
        Assert.Equal(read + TimeSpan.FromSeconds(NextRekeyIn), vm1.GetProperty("nextRekeyAt").GetDateTimeOffset());
        Assert.Equal(Traffic, (vm1.GetProperty("bytesIn").GetInt64(), vm1.GetProperty("packetsIn").GetInt64(),
            vm1.GetProperty("bytesOut").GetInt64(), vm1.GetProperty("packetsOut").GetInt64()));
    }

    [Fact]
    public async Task An_end_whose_host_was_never_read_is_unknown_with_no_values()
    {
        var body = await SegmentAfterReadingAsync("vm1-established.txt");

        var vm2 = Assert.Single(body.GetProperty("ipsec").EnumerateArray()).GetProperty("endB");
        Assert.Equal(SaFixtures.Vm2, vm2.GetProperty("host").GetString());
        Assert.Equal("unknown", vm2.GetProperty("state").GetString());
        Assert.False(vm2.GetProperty("established").GetBoolean());
        foreach (var name in new[] { "readAt", "establishedAt", "nextRekeyAt", "bytesIn", "packetsOut" })
            Assert.True(!vm2.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null, name);
    }

    [Fact]
    public async Task A_segment_without_encryption_has_no_ipsec_field()
    {
        var hosts = _factory.Services.GetRequiredService<HostStore>();
        foreach (var host in SaFixtures.Hosts().Hosts) await hosts.AddAsync(host);
        await _factory.Services.GetRequiredService<SegmentStore>().SaveDesiredAsync(
            SegmentAllocator.Allocate(SaFixtures.Spec with { Encryption = Encryption.None }, SaFixtures.Hosts().Infos(), []).Value);

        var body = await _api.GetFromJsonAsync<JsonElement>("/api/segments/blue");

        Assert.Equal("none", body.GetProperty("encryption").GetString());
        Assert.True(!body.TryGetProperty("ipsec", out var ipsec) || ipsec.ValueKind == JsonValueKind.Null);
    }
}
