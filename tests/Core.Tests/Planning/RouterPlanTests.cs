using Superbridge.Core.Support;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class RouterPlanTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(2);

    private static HostPlan RouterHost(SegmentSpec spec, Dictionary<HostId, Superbridge.Core.Observed.ObservedHost>? observed = null) =>
        SegmentPlanner.Plan(Given.Allocated(spec, Hosts, observed: observed), Hosts).Value.Hosts.Single(h => h.Host == spec.Router!.Host);

    [Fact]
    public void Gateway_mode_runs_a_standalone_dnsmasq_bound_to_the_bridge_only()
    {
        var dnsmasq = RouterHost(Given.Segment(Transport.Gretap)).Steps.Single(s => s.Id == "dnsmasq:superbr0");
        Assert.Equal(
        [
            "dnsmasq", "--conf-file=", "--strict-order", "--bind-interfaces", "--interface=superbr0", "--except-interface=lo",
            "--listen-address", "10.0.2.1", "--dhcp-range", "10.0.2.2,10.0.2.254,12h", "--dhcp-lease-max=253", "--dhcp-no-override",
            "--dhcp-option=option:mtu,1458", "--pid-file=/run/superbridge/dnsmasq-superbr0.pid",
            "--dhcp-leasefile=/run/superbridge/dnsmasq-superbr0.leases",
        ], dnsmasq.Do.Words());
        Assert.Equal(["sh", "-c", "pkill -F \"$1\"; rm -f \"$1\" \"$2\"", "sh", "/run/superbridge/dnsmasq-superbr0.pid", "/run/superbridge/dnsmasq-superbr0.leases"], dnsmasq.Undo!.Words());
        Assert.Equal(["pkill", "-0", "-F", "/run/superbridge/dnsmasq-superbr0.pid"], dnsmasq.Check!.Words());
    }

    [Fact]
    public void The_segments_nat_chain_as_iptables_prints_it_leaves_no_nat_step_and_no_drift()
    {
        // Captured: the segment's chain, jump and rule, and an operator's own MASQUERADE in POSTROUTING beside them.
        var lines = Superbridge.Core.Tests.Observed.FixtureFiles.Read("iptables-nat/segment-chain.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with { NatRules = [.. lines] };

        var segment = Given.Allocated(Given.Segment(Transport.Gretap), Hosts, observed: observed);
        var steps = SegmentPlanner.Plan(segment, Hosts, observed).Value.Hosts.Single(h => h.Host == "h1").Steps;

        Assert.DoesNotContain(steps, s => s.Id.StartsWith("nat", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Id == "dnsmasq:superbr0");
        Assert.DoesNotContain(SegmentPlanner.DetectDrift(segment, Hosts, observed).Value, d => d.Device.StartsWith("iptables", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_dns_dnsmasq_gets_port_0()
    {
        var spec = Given.Segment(Transport.Gretap) with { Router = Given.Router() with { Dns = false } };
        Assert.Equal("--port=0", RouterHost(spec).Steps.Single(s => s.Id == "dnsmasq:superbr0").Do.Argv[^1]);
    }

    [Fact]
    public void Gateway_steps_in_order_with_exact_commands()
    {
        var steps = RouterHost(Given.Segment(Transport.Gretap) with { Router = Given.Router() with { NatOutInterface = "eth0" } },
            Given.ObservedAll(2)).Steps;
        var router = steps.SkipWhile(s => !s.Id.StartsWith("addr:")).ToList();
        Assert.Equal(["addr:superbr0:10.0.2.1/24", "run-dir", "dnsmasq:superbr0", "sysctl:ip_forward", "nat-chain:SB-superbr0", "nat:10.0.2.0/24", "nat-jump:SB-superbr0"],
            router.Select(s => s.Id));
        Assert.Equal(["ip", "addr", "add", "10.0.2.1/24", "dev", "superbr0"], router[0].Do.Words());
        Assert.Equal(["ip", "addr", "del", "10.0.2.1/24", "dev", "superbr0"], router[0].Undo!.Words());
        Assert.Equal(["mkdir", "-p", "/run/superbridge"], router[1].Do.Words());
        Assert.Equal(["sysctl", "-w", "net.ipv4.ip_forward=1"], router[3].Do.Words());
        Assert.Equal(["grep", "-qx", "1", "/proc/sys/net/ipv4/ip_forward"], router[3].Check!.Words());
        Assert.Equal("iptables -t nat -N SB-superbr0".Split(' '), router[4].Do.Words());
        Assert.Equal("iptables -t nat -X SB-superbr0".Split(' '), router[4].Undo!.Words());
        Assert.Equal("iptables -t nat -S SB-superbr0".Split(' '), router[4].Check!.Words());
        Assert.Equal("iptables -t nat -A SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -o eth0 -j MASQUERADE".Split(' '), router[5].Do.Words());
        Assert.Equal("iptables -t nat -D SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -o eth0 -j MASQUERADE".Split(' '), router[5].Undo!.Words());
        Assert.Equal("iptables -t nat -C SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -o eth0 -j MASQUERADE".Split(' '), router[5].Check!.Words());
        Assert.Equal("iptables -t nat -A POSTROUTING -s 10.0.2.0/24 -j SB-superbr0".Split(' '), router[6].Do.Words());
        Assert.Equal("iptables -t nat -D POSTROUTING -s 10.0.2.0/24 -j SB-superbr0".Split(' '), router[6].Undo!.Words());
        Assert.Equal("iptables -t nat -C POSTROUTING -s 10.0.2.0/24 -j SB-superbr0".Split(' '), router[6].Check!.Words());
    }

    [Theory]
    [InlineData("0", new[] { "sysctl", "-w", "net.ipv4.ip_forward=0" })]
    [InlineData("1", null)]
    public void Forwarding_undo_carries_the_observed_previous_value(string previous, string[]? undo)
    {
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with { Ipv4Forward = previous };
        var step = RouterHost(Given.Segment(Transport.Gretap), observed).Steps.Single(s => s.Id == "sysctl:ip_forward");
        Assert.Equal(undo, step.Undo?.Words()); // already on before: nothing to restore
    }

    [Fact]
    public void Forwarding_previous_value_is_kept_in_the_allocation_for_a_later_teardown()
    {
        var observed = Given.ObservedAll(2);
        observed["h1"] = observed["h1"] with { Ipv4Forward = "1" };
        var segment = Given.Allocated(Given.Segment(Transport.Gretap), Hosts, observed: observed);
        Assert.Equal("1", segment.Allocation.Router!.PreviousIpv4Forward);
        // Even planned later without observed state, the step does not turn forwarding off on undo.
        var step = SegmentPlanner.Plan(segment, Hosts).Value.Hosts[0].Steps.Single(s => s.Id == "sysctl:ip_forward");
        Assert.Null(step.Undo);
    }

    [Fact]
    public void Without_nat_no_iptables_rule()
    {
        var spec = Given.Segment(Transport.Gretap) with { Router = Given.Router() with { Nat = false } };
        Assert.DoesNotContain(RouterHost(spec).Steps, s => s.Do.Argv[0] == "iptables");
    }

    [Fact]
    public void External_router_mode_adds_the_interface_to_the_bridge_and_nothing_else()
    {
        var hosts = UplinkHost.Hosts();
        var observed = UplinkHost.Observed(UplinkHost.BeforeSegment());
        var segment = Given.Allocated(UplinkHost.External("sbcap-spare"), hosts, observed: observed);
        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h1").Steps;
        var port = steps.Single(s => s.Id == "master:sbcap-spare");
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "master", "superbr0"], port.Do.Words());
        Assert.Equal(["ip", "link", "set", "dev", "sbcap-spare", "nomaster"], port.Undo!.Words());
        Assert.DoesNotContain(steps, s => s.Do.Argv[0] is "dnsmasq" or "iptables" or "sysctl" || s.Id.StartsWith("addr:"));
    }

    [Fact]
    public void Only_the_router_host_gets_router_steps()
    {
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Gretap), Hosts), Hosts).Value;
        Assert.DoesNotContain(plan.Hosts.Single(h => h.Host == "h2").Steps, s => s.Do.Argv[0] is "dnsmasq" or "iptables" or "sysctl");
    }

    [Fact]
    public void Dhcp_advertises_the_segment_mtu_as_option_26()
    {
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Vxlan), Hosts), Hosts).Value;
        var dnsmasq = plan.Hosts[0].Steps.Single(s => s.Id == "dnsmasq:superbr0").Do.Words();
        Assert.Contains("--dhcp-option=option:mtu,1450", dnsmasq);
    }

    [Fact]
    public void Lease_max_counts_the_range()
    {
        var spec = Given.Segment(Transport.Gretap) with { Router = Given.Router() with { DhcpRange = new("10.0.2.100", "10.0.2.149"), LeaseTime = "1h" } };
        var dnsmasq = RouterHost(spec).Steps.Single(s => s.Id == "dnsmasq:superbr0").Do.Words();
        Assert.Contains("--dhcp-lease-max=50", dnsmasq);
        Assert.Contains("10.0.2.100,10.0.2.149,1h", dnsmasq);
    }

    [Fact]
    public void Moving_the_router_tears_down_the_old_one_and_sets_up_the_new_one()
    {
        var hosts = Given.Hosts(2);
        var before = Given.Allocated(Given.Segment(Transport.Gretap), hosts, observed: Given.ObservedAll(2));
        var spec = before.Spec with { Router = Given.Router("h2") };
        var after = SegmentAllocator.Allocate(spec, hosts, [before], Given.ObservedAll(2)).Value;
        var plan = SegmentPlanner.PlanChange(before, after, hosts).Value;

        var oldHost = plan.Hosts.Single(h => h.Host == "h1").Steps;
        Assert.Equal(["nat-jump:SB-superbr0", "nat:10.0.2.0/24", "nat-chain:SB-superbr0", "sysctl:ip_forward", "dnsmasq:superbr0", "addr:superbr0:10.0.2.1/24"],
            oldHost.Select(s => s.Id));
        Assert.All(oldHost, s => Assert.StartsWith("Undo: ", s.Description));
        Assert.Equal("iptables -t nat -D POSTROUTING -s 10.0.2.0/24 -j SB-superbr0".Split(' '), oldHost[0].Do.Words());
        Assert.Equal("iptables -t nat -D SB-superbr0 -s 10.0.2.0/24 ! -d 10.0.2.0/24 -j MASQUERADE".Split(' '), oldHost[1].Do.Words());
        Assert.Equal("iptables -t nat -X SB-superbr0".Split(' '), oldHost[2].Do.Words());

        var newHost = plan.Hosts.Single(h => h.Host == "h2").Steps;
        Assert.Equal(["addr:superbr0:10.0.2.1/24", "run-dir", "dnsmasq:superbr0", "sysctl:ip_forward", "nat-chain:SB-superbr0", "nat:10.0.2.0/24", "nat-jump:SB-superbr0"],
            newHost.Select(s => s.Id));
        Assert.Equal(before.Allocation.Links.ToArray(), after.Allocation.Links.ToArray()); // the tunnels are untouched
    }

    [Fact]
    public void Exactly_one_router_dnsmasq_per_segment()
    {
        var hosts = Given.Hosts(3);
        var plan = SegmentPlanner.Plan(Given.Allocated(Given.Segment(Transport.Vxlan, 3), hosts), hosts).Value;
        Assert.Single(plan.Hosts.SelectMany(h => h.Steps), s => s.Do.Argv[0] == "dnsmasq");
    }
}

public class SharedForwardingTests
{
    [Fact]
    public void Two_segments_routed_on_one_host_restore_forwarding_only_when_the_last_goes()
    {
        var hosts = Given.Hosts(2);
        var fakes = new Dictionary<string, FakeHost> { ["h1"] = new("h1", "0"), ["h2"] = new("h2", "0") };
        var lan = SegmentAllocator.Allocate(Given.Segment(Transport.Gretap), hosts, [], FakeExecutor.Observe(fakes)).Value;
        FakeExecutor.Apply(SegmentPlanner.Plan(lan, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        var dmzSpec = Given.Segment(Transport.Vxlan, 2, "dmz") with
        {
            Bridge = "superbr1", Router = Given.Router() with { Gateway = "10.9.0.1/24", DhcpRange = new("10.9.0.2", "10.9.0.9") },
        };
        var dmz = SegmentAllocator.Allocate(dmzSpec, hosts, [lan], FakeExecutor.Observe(fakes)).Value;
        Assert.Equal("0", dmz.Allocation.Router!.PreviousIpv4Forward); // the value from before Superbridge, not the "1" lan set
        FakeExecutor.Apply(SegmentPlanner.Plan(dmz, hosts, FakeExecutor.Observe(fakes)).Value, fakes);

        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(lan, hosts, FakeExecutor.Observe(fakes), [lan, dmz]).Value, fakes);
        Assert.Equal("1", fakes["h1"].Observe().Ipv4Forward); // dmz still routes
        FakeExecutor.Apply(SegmentPlanner.PlanTeardown(dmz, hosts, FakeExecutor.Observe(fakes), [dmz]).Value, fakes);
        Assert.Equal("0", fakes["h1"].Observe().Ipv4Forward);
    }
}
