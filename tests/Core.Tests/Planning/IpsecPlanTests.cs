using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class IpsecPlanTests
{
    private static Dictionary<HostId, ObservedHost> Observed(int count, IpsecFacts? facts = null) =>
        Given.ObservedIpsecReady(count).ToDictionary(o => o.Key, o => o.Value with { Ipsec = facts ?? Given.IpsecReady });

    private static SegmentPlan Plan(Transport transport, int hosts = 2, IpsecFacts? facts = null)
    {
        var infos = Given.Hosts(hosts);
        var observed = Observed(hosts, facts);
        var spec = Given.Segment(transport, hosts) with { Encryption = Encryption.Ipsec };
        return SegmentPlanner.Plan(Given.Allocated(spec, infos, observed: observed), infos, observed).Value;
    }

    private static List<PlanStep> Steps(SegmentPlan plan, string host) => [.. plan.Hosts.Single(h => h.Host == host).Steps];

    [Fact]
    public void Vxlan_gets_a_key_and_a_connection_per_peer_before_its_device_so_nothing_leaves_in_clear()
    {
        var plan = Plan(Transport.Vxlan, hosts: 3);
        var ids = Steps(plan, "h1").Select(s => s.Id).ToList();

        var ipsec = ids.Where(id => id.StartsWith("ipsec", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, ipsec.Count); // two peers, a key and a connection each
        Assert.True(ids.FindLastIndex(id => id.StartsWith("ipsec", StringComparison.Ordinal)) < ids.FindIndex(id => id.StartsWith("link:", StringComparison.Ordinal)));
        Assert.True(ids.IndexOf("bridge:superbr0") < ids.FindIndex(id => id.StartsWith("ipsec", StringComparison.Ordinal)));
        Assert.Equal(1408, plan.Mtu);
    }

    [Fact]
    public void Both_ends_name_the_pair_alike_and_each_side_selects_exactly_the_vxlan_port_to_and_from_the_other()
    {
        var plan = Plan(Transport.Vxlan);
        var h1 = Steps(plan, "h1").Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal));
        var h2 = Steps(plan, "h2").Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal));
        Assert.Equal(h1.Id, h2.Id);
        var name = h1.Id["ipsec:".Length..];
        Assert.Matches("^lan-[0-9a-f]{8}$", name);

        var conf = h1.Do.Argv[4];
        Assert.Equal($"/etc/swanctl/conf.d/superbridge-{name}.conf", h1.Do.Argv[5]);
        Assert.Contains("\t\tlocal_addrs = 1.1.1.1\n\t\tremote_addrs = 2.2.2.2\n", conf);
        Assert.Contains($"\t\t\t{name}-out {{\n\t\t\t\tmode = transport\n\t\t\t\tlocal_ts = 1.1.1.1[udp]\n\t\t\t\tremote_ts = 2.2.2.2[udp/4789]\n", conf);
        Assert.Contains($"\t\t\t{name}-in {{\n\t\t\t\tmode = transport\n\t\t\t\tlocal_ts = 1.1.1.1[udp/4789]\n\t\t\t\tremote_ts = 2.2.2.2[udp]\n", conf);
        Assert.Contains("\t\t\t\tesp_proposals = aes256gcm16,aes256-sha256\n\t\t\t\tstart_action = trap\n", conf);
        Assert.Contains("\t\tproposals = aes256gcm16-prfsha384-ecp384,aes256-sha256-modp3072\n", conf);
        Assert.Contains("\t\tdpd_delay = 10s\n\t\tunique = replace\n", conf);
        Assert.EndsWith($" && swanctl --load-conns && swanctl --list-conns | grep -q '^{name}: '", h1.Do.Argv[2]);
        Assert.Contains("swanctl --terminate --ike \"$2\"", h1.Undo!.Argv[2]);
    }

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    [InlineData(Transport.Vxlan)]
    public void Every_section_name_in_the_files_has_no_dot_which_strongswan_would_read_as_a_path_and_refuse_the_file(Transport transport)
    {
        var steps = Steps(Plan(transport), "h1");
        var conf = steps.Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Do.Argv[4];
        var sections = conf.Split('\n').Where(l => l.EndsWith(" {", StringComparison.Ordinal)).Select(l => l.Trim()[..^2]).ToList();
        Assert.NotEmpty(sections);
        Assert.All(sections, name => Assert.Matches("^[a-z0-9-]+$", name));
        Assert.Matches("^[a-z0-9-]+$", steps.Single(s => s.Id.StartsWith("ipsec-key:", StringComparison.Ordinal)).Secret!);
    }

    [Theory]
    [InlineData(Transport.Gretap, "1.1.1.1[gre]", "2.2.2.2[gre]")]
    [InlineData(Transport.L2tpv3Ip, "1.1.1.1[115]", "2.2.2.2[115]")]
    public void Point_to_point_links_select_their_ip_protocol(Transport transport, string local, string remote)
    {
        var conf = Steps(Plan(transport), "h1").Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Do.Argv[4];
        Assert.Contains($"\t\t\t\tlocal_ts = {local}\n\t\t\t\tremote_ts = {remote}\n", conf);
    }

    [Fact]
    public void L2tp_over_udp_selects_each_ends_own_port()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Given.Segment(Transport.L2tpv3Udp) with { Encryption = Encryption.Ipsec }, infos, observed: observed);
        var link = segment.Allocation.Links.Single();
        var plan = SegmentPlanner.Plan(segment, infos, observed).Value;

        var conf = Steps(plan, "h1").Single(s => s.Id.StartsWith("ipsec:", StringComparison.Ordinal)).Do.Argv[4];
        Assert.Contains($"\t\t\t\tlocal_ts = 1.1.1.1[udp/{link.PortA}]\n\t\t\t\tremote_ts = 2.2.2.2[udp/{link.PortB}]\n", conf);
    }

    [Fact]
    public void The_key_is_in_no_argv_only_in_the_programs_environment_as_a_placeholder()
    {
        var plan = Plan(Transport.Gretap);
        var host = plan.Hosts.Single(h => h.Host == "h1");
        var key = host.Steps.Single(s => s.Id.StartsWith("ipsec-key:", StringComparison.Ordinal));
        var name = key.Secret!;

        Assert.Equal(["test", "-s", $"/etc/swanctl/conf.d/superbridge-{name}.secrets.conf"], key.Check!.Words());
        Assert.Contains("umask 077 && ", key.Do.Argv[2]);
        Assert.Contains("\"$" + SecretPlaceholders.Variable(name) + "\"", key.Do.Argv[2]);
        Assert.DoesNotContain(host.Steps.SelectMany(s => s.Do.Argv), w => w.Contains("<secret:", StringComparison.Ordinal));
        var program = HostProgram.Apply(host);
        Assert.Contains($"\texport {SecretPlaceholders.Variable(name)}='<secret:{name}>'\n", program);
        Assert.Equal([name], SecretPlaceholders.Names(program));
    }

    [Fact]
    public void Boot_replays_no_ipsec_step_and_the_unit_waits_for_strongswan()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        foreach (var id in observed.Keys.ToList())
            observed[id] = observed[id] with { Boot = new BootState(Persistence.Systemd, "systemd", [], []) };
        var segment = Given.Allocated(Given.Segment(Transport.Gretap) with { Encryption = Encryption.Ipsec }, infos, observed: observed);
        var steps = Steps(SegmentPlanner.Plan(segment, infos, observed).Value, "h1");

        Assert.DoesNotContain("ipsec", steps.Single(s => s.Id == "boot-program:lan").Do.Argv[4]);
        Assert.DoesNotContain("<secret:", steps.Single(s => s.Id == "boot-program:lan").Do.Argv[4]);
        var unit = steps.Single(s => s.Id == "boot-unit:lan").Do.Argv[4];
        Assert.Contains("\nWants=network-online.target strongswan.service\nAfter=network-online.target strongswan.service\n", unit);
    }

    [Fact]
    public void A_host_without_strongswan_is_refused_naming_the_host_and_the_packages()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        observed["h2"] = observed["h2"] with { Ipsec = Given.IpsecReady with { Swanctl = false, CharonRunning = false } };
        var spec = Given.Segment(Transport.Gretap) with { Encryption = Encryption.Ipsec };
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), infos, observed: observed) with { Spec = spec };

        var result = SegmentPlanner.Plan(segment, infos, observed);

        Assert.False(result.IsOk);
        var error = Assert.Single(result.Errors);
        Assert.Equal("encryption", error.Path);
        Assert.Equal("host h2 cannot do IPsec: strongSwan is not installed (Debian: apt install strongswan-swanctl charon-systemd)", error.Message);
    }

    [Fact]
    public void Teardown_ends_the_connections_and_removes_both_files()
    {
        var infos = Given.Hosts(2);
        var observed = Observed(2);
        var segment = Given.Allocated(Given.Segment(Transport.Gretap) with { Encryption = Encryption.Ipsec }, infos, observed: observed);

        var steps = Steps(SegmentPlanner.PlanTeardown(segment, infos).Value, "h1");
        var ipsec = steps.Where(s => s.Id.StartsWith("ipsec", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ipsec:", "ipsec-key:"], ipsec.Select(s => s.Id[..(s.Id.IndexOf(':') + 1)]));
        Assert.Contains("swanctl --terminate", ipsec[0].Do.Argv[2]);
        Assert.Contains("swanctl --load-creds", ipsec[1].Do.Argv[2]);
        Assert.All(ipsec, s => Assert.Null(s.Secret));
    }
}
