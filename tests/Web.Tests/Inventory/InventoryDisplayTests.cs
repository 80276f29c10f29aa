using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Inventory;

public sealed class InventoryDisplayTests
{
    [Theory]
    [InlineData("vxlan", 42u, 4789, null, null, "VNI 42 · port 4789")]
    [InlineData("gretap", null, null, 7u, 7u, "key 7")]
    [InlineData("gretap", null, null, 7u, 8u, "key 7 in / 8 out")]
    [InlineData("gretap", null, null, null, null, "no key")]
    public void Tunnel_identifiers(string kind, uint? vni, int? port, uint? ikey, uint? okey, string expected) =>
        Assert.Equal(expected, InventoryDisplay.Identifiers(new InventoryTunnel { Kind = kind, Device = "t0", Vni = vni, Port = port, InputKey = ikey, OutputKey = okey }));

    [Fact]
    public void L2tp_identifiers_name_both_ends()
    {
        var tunnel = new InventoryTunnel { Kind = "l2tp", Device = "l2", TunnelId = 1001, PeerTunnelId = 2001, SessionId = 1, PeerSessionId = 1, Encapsulation = "udp", SourcePort = 5001, Port = 5002 };

        Assert.Equal("tunnel 1001→2001 · session 1→1 · udp 5001→5002", InventoryDisplay.Identifiers(tunnel));
    }

    [Fact]
    public void Bridge_members_carry_their_own_mtu_from_the_observed_links()
    {
        var capture = InventoryFixtures.Capture("ha");
        var br0 = capture.Inventory.Bridges.Single(b => b.Name == "sbcap-br0");

        var members = InventoryDisplay.Members(br0, capture.Host);

        Assert.All(members, m => Assert.Equal(capture.Host.Links.Single(l => l.Name == m.Name).Mtu, m.Mtu));
        Assert.Equal("hb", members.Single(m => m.Name == "sbcap-vx").PeerHostId?.Value);
    }

    [Theory]
    [InlineData("198.51.100.1", "198.51.100.1")]
    [InlineData(" db1.example.net ", "db1.example.net")]
    [InlineData("[fd00::1]", "fd00--1")]
    public void The_name_defaults_from_the_address(string address, string name) =>
        Assert.Equal(name, new AddHostForm { Address = address }.EffectiveName);

    [Fact]
    public void Only_the_chosen_secret_is_sent()
    {
        var form = new AddHostForm
        {
            Address = "198.51.100.1", Authentication = HostAuthenticationKind.Password,
            Password = "pw", PrivateKeyPath = "/root/.ssh/id_ed25519", PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----", Passphrase = "pp",
        };

        var request = form.ToRequest("SHA256:x");

        Assert.Equal("pw", request.Password);
        Assert.Null(request.PrivateKeyPath);
        Assert.Null(request.PrivateKey);
        Assert.Null(request.Passphrase);
        Assert.Equal("root", request.Username);
        Assert.Equal(22, request.Port);
    }

    [Fact]
    public void Before_connecting_every_rule_but_the_host_key_applies_and_credentials_show_on_the_chosen_field()
    {
        var errors = new AddHostForm { Address = "", Authentication = HostAuthenticationKind.Key }.ValidateBeforeConnect();

        Assert.Null(errors.For("hostKey"));
        Assert.Equal("address is required", errors.For("address"));
        Assert.Equal("give exactly one of privateKeyPath, privateKey or password", errors.For("privateKey"));
        Assert.Null(errors.For("password"));
    }
}
