using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Superbridge.Lab;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Api;

[Collection("Lab")]
public sealed class HostsApiTests : IDisposable
{
    private readonly LabEnvironment _lab;
    private readonly DashboardFactory _factory = new();
    private readonly HttpClient _api;

    public HostsApiTests(LabFixture lab)
    {
        _lab = lab.Lab;
        _api = _factory.CreateApiClient();
    }

    public void Dispose()
    {
        _api.Dispose();
        _factory.Dispose();
    }

    private Task<HttpResponseMessage> AddWithPinnedKeyAsync(string name, LabHost host) => _api.PostAsJsonAsync("/api/hosts", new
    {
        name,
        address = host.Address,
        port = host.Port,
        username = "root",
        privateKeyPath = _lab.Description.KeyPath,
        useSudo = false,
        hostKey = host.HostKeyFingerprint,
    });

    [Fact]
    public async Task Adding_a_lab_host_with_its_confirmed_fingerprint_stores_it_and_lists_it()
    {
        var host = _lab.Host(1);

        var created = await AddWithPinnedKeyAsync("h1", host);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("h1", body.GetProperty("id").GetString());
        Assert.Equal(host.HostKeyFingerprint, body.GetProperty("hostKeyFingerprint").GetString());
        Assert.Equal("online", body.GetProperty("status").GetString());
        var listed = await _api.GetFromJsonAsync<JsonElement>("/api/hosts");
        Assert.Equal("h1", Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_host_behind_a_1to1_nat_is_reported_with_its_private_tunnel_address_and_patch_sets_both_addresses_naming_refused_fields()
    {
        var nat = Assert.Single(_lab.Description.NatHosts);
        Assert.Equal(HttpStatusCode.Created, (await AddWithPinnedKeyAsync("hn", nat)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await AddWithPinnedKeyAsync("h1", _lab.Host(1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/hosts/hn/refresh", null)).StatusCode);

        var shown = await _api.GetFromJsonAsync<JsonElement>("/api/hosts/hn");
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("tunnelAddress").ValueKind);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("peerAddress").ValueKind);
        var addresses = shown.GetProperty("addresses");
        Assert.False(addresses.GetProperty("sshAddressOnHost").GetBoolean());
        Assert.Equal(nat.PrivateAddress, addresses.GetProperty("tunnelAddress").GetString());
        Assert.Equal($"from the route to {_lab.Host(1).Address} via eth0", addresses.GetProperty("tunnelAddressReason").GetString());
        Assert.Equal(nat.PublicAddress, addresses.GetProperty("peerAddress").GetString());
        Assert.Equal("the SSH address", addresses.GetProperty("peerAddressReason").GetString());
        Assert.True(addresses.GetProperty("behindNat").GetBoolean());

        var refused = await _api.PatchAsJsonAsync("/api/hosts/hn", new { tunnelAddress = "192.0.2.999", peerAddress = "127.0.0.1" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("tunnelAddress '192.0.2.999' is not an IPv4 or IPv6 address (it is the address this host's tunnels bind)",
            Assert.Single(errors.GetProperty("tunnelAddress").EnumerateArray()).GetString());
        Assert.Equal("peerAddress cannot be a loopback address (it is what peers send this host's tunnel packets to)",
            Assert.Single(errors.GetProperty("peerAddress").EnumerateArray()).GetString());

        var patched = await _api.PatchAsJsonAsync("/api/hosts/hn", new { tunnelAddress = nat.PrivateAddress, peerAddress = nat.PublicAddress });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((nat.PrivateAddress, nat.PublicAddress), (body.GetProperty("tunnelAddress").GetString(), body.GetProperty("peerAddress").GetString()));
        Assert.Equal("configured", body.GetProperty("addresses").GetProperty("tunnelAddressReason").GetString());
        Assert.Equal("configured", body.GetProperty("addresses").GetProperty("peerAddressReason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PatchAsJsonAsync("/api/hosts/nope", new { tunnelAddress = (string?)null })).StatusCode);
    }

    [Fact]
    public async Task A_namespace_lab_host_is_reported_not_persistent_across_reboot_and_why()
    {
        var host = _lab.Host(1);
        var created = await AddWithPinnedKeyAsync("h1", host);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("unknown", (await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h1")).GetProperty("persistence").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/hosts/h1/refresh", null)).StatusCode);

        var shown = await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h1");

        // The namespace host's sshd runs in a network namespace of its own, and this machine's PID 1 is not systemd.
        Assert.Equal("none", shown.GetProperty("persistence").GetString());
        Assert.Equal("Superbridge reaches this host in a network namespace other than PID 1's, so no boot unit of the machine recreates it",
            shown.GetProperty("persistenceReason").GetString());
    }

    [Fact]
    public async Task A_namespace_lab_host_reports_strongswans_version_its_running_daemon_and_that_its_kernel_has_no_esp()
    {
        var host = _lab.Host(1);
        Assert.Equal(HttpStatusCode.Created, (await AddWithPinnedKeyAsync("h1", host)).StatusCode);
        Assert.Equal("unknown", (await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h1")).GetProperty("ipsec").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsync("/api/hosts/h1/refresh", null)).StatusCode);
        // The lab runs a charon per namespace host; its answer names the version the inventory must report.
        var daemon = await _lab.SshAsRootAsync(host, "swanctl --version --daemon 2>/dev/null");
        Assert.True(daemon.Succeeded, daemon.StandardError);

        var ipsec = (await _api.GetFromJsonAsync<JsonElement>("/api/hosts/h1")).GetProperty("ipsec");

        Assert.Equal(daemon.StandardOutput.Split(' ')[1], ipsec.GetProperty("version").GetString());
        Assert.True(ipsec.GetProperty("swanctl").GetBoolean());
        Assert.True(ipsec.GetProperty("charonRunning").GetBoolean());
        // This machine's kernel, which the namespace hosts share, has xfrm but no ESP.
        Assert.Equal("missing", ipsec.GetProperty("status").GetString());
        Assert.Equal("the kernel has no ESP: module esp4 (CONFIG_INET_ESP) is missing", ipsec.GetProperty("missing").GetString());
    }

    [Fact]
    public async Task Trust_on_first_use_pins_the_key_the_host_presented()
    {
        var host = _lab.Host(2);

        var created = await _api.PostAsJsonAsync("/api/hosts", new
        {
            name = "h2",
            address = host.Address,
            username = "root",
            privateKeyPath = _lab.Description.KeyPath,
            hostKey = "trust-on-first-use",
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(host.HostKeyFingerprint, body.GetProperty("hostKeyFingerprint").GetString());
    }

    [Fact]
    public async Task A_wrong_fingerprint_is_refused_naming_both_keys_and_nothing_is_stored()
    {
        var host = _lab.Host(1);
        const string wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        var response = await _api.PostAsJsonAsync("/api/hosts", new
        {
            name = "h1",
            address = host.Address,
            username = "root",
            privateKeyPath = _lab.Description.KeyPath,
            hostKey = wrong,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("hostKey").EnumerateArray()).GetString();
        Assert.Contains(wrong, message);
        Assert.Contains(host.HostKeyFingerprint, message);
        Assert.Empty((await _api.GetFromJsonAsync<JsonElement>("/api/hosts")).EnumerateArray());
    }

    [Fact]
    public async Task Bad_input_names_every_invalid_field_and_stores_nothing()
    {
        var response = await _api.PostAsJsonAsync("/api/hosts", new
        {
            name = "h1; rm -rf /",
            address = "198.51.100.1.",
            port = 70000,
            username = "$(reboot)",
            hostKey = "maybe",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "address", "port", "username", "credentials", "hostKey" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Empty((await _api.GetFromJsonAsync<JsonElement>("/api/hosts")).EnumerateArray());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_bad_credentials()
    {
        var host = _lab.Host(1);

        var response = await _api.PostAsJsonAsync("/api/hosts", new
        {
            name = "h1",
            address = host.Address,
            username = "root",
            password = "not-the-password",
            hostKey = host.HostKeyFingerprint,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("credentials", out _), errors.ToString());
    }

    [Fact]
    public async Task Deleting_a_host_forgets_it_and_an_unknown_id_is_404()
    {
        var host = _lab.Host(1);
        await _api.PostAsJsonAsync("/api/hosts", new
        {
            name = "h1",
            address = host.Address,
            username = "root",
            privateKeyPath = _lab.Description.KeyPath,
            hostKey = host.HostKeyFingerprint,
        });

        var deleted = await _api.DeleteAsync("/api/hosts/h1");
        var again = await _api.GetAsync("/api/hosts/h1");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
