using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class BootPlanTests
{
    private static readonly Dictionary<HostId, HostInfo> Hosts = Given.Hosts(2);

    private static readonly BootState Systemd = new(Persistence.Systemd, "persistent", [], []);

    private static Dictionary<HostId, ObservedHost> ObservedWith(BootState h1, BootState? h2 = null) => new()
    {
        ["h1"] = Given.Observed("h1") with { Boot = h1 },
        ["h2"] = Given.Observed("h2") with { Boot = h2 ?? h1 },
    };

    private static Segment Lan(Dictionary<HostId, ObservedHost> observed) =>
        Given.Allocated(Given.Segment(Transport.Vxlan), Hosts, observed: observed);

    private static HostPlan Host(SegmentPlan plan, string host) => plan.Hosts.Single(h => h.Host == host);

    [Fact]
    public void A_systemd_host_ends_its_plan_with_its_boot_files_and_the_unit_enabled()
    {
        var observed = ObservedWith(Systemd);
        var plan = SegmentPlanner.Plan(Lan(observed), Hosts, observed).Value;

        Assert.Equal(["boot-sysctl:lan", "boot-program:lan", "boot-undo:lan", "boot-unit:lan", "boot-enable:lan"],
            Host(plan, "h1").Steps.Select(s => s.Id).SkipWhile(id => !id.StartsWith("boot-", StringComparison.Ordinal)));
        // Only the routing host needs forwarding at boot.
        Assert.Equal(["boot-program:lan", "boot-undo:lan", "boot-unit:lan", "boot-enable:lan"],
            Host(plan, "h2").Steps.Select(s => s.Id).SkipWhile(id => !id.StartsWith("boot-", StringComparison.Ordinal)));
        Assert.Equal(["systemctl", "enable", "superbridge-lan.service"], Host(plan, "h1").Steps[^1].Do.Words());
        Assert.Equal(["systemctl", "disable", "superbridge-lan.service"], Host(plan, "h1").Steps[^1].Undo!.Words());
        Assert.Equal(["test", "-L", "/etc/systemd/system/multi-user.target.wants/superbridge-lan.service"], Host(plan, "h1").Steps[^1].Check!.Words());
        Assert.Empty(plan.NotPersistent);
    }

    [Fact]
    public void The_boot_program_is_the_hosts_apply_program_of_every_setup_step_but_the_attachments()
    {
        var observed = ObservedWith(Systemd);
        observed["h2"] = observed["h2"] with { Containers = [Given.Container("web")] };
        var spec = Given.Segment(Transport.Vxlan) with { Attachments = [new AttachmentSpec("h2", "web")] };
        var segment = Given.Allocated(spec, Hosts, observed: observed);
        var steps = Host(SegmentPlanner.Plan(segment, Hosts, observed).Value, "h2").Steps;

        var live = steps.TakeWhile(s => !s.Id.StartsWith("boot-", StringComparison.Ordinal)).ToList();
        Assert.Contains(live, s => s.Id == "lxc-link:web");
        var replay = new HostPlan("h2", [.. live.Where(s => !s.Id.StartsWith("lxc-", StringComparison.Ordinal))]);
        var write = steps.Single(s => s.Id == "boot-program:lan");
        Assert.Equal(HostProgram.Apply(replay), write.Do.Argv[4]);
        Assert.Equal("/etc/superbridge/lan.apply.sh", write.Do.Argv[5]);
        Assert.Equal(["rm", "-f"], write.Undo!.Argv[2].Split(' ')[..2]);
    }

    [Fact]
    public void The_unit_replays_the_program_before_lxc_starts_containers_and_undoes_it_on_stop()
    {
        var observed = ObservedWith(Systemd);
        var unit = Host(SegmentPlanner.Plan(Lan(observed), Hosts, observed).Value, "h1").Steps.Single(s => s.Id == "boot-unit:lan");
        var body = unit.Do.Argv[4];
        Assert.Equal("/etc/systemd/system/superbridge-lan.service", unit.Do.Argv[5]);
        Assert.Contains("\nType=oneshot\nRemainAfterExit=yes\n", body);
        Assert.Contains("\nWants=network-online.target\nAfter=network-online.target\nBefore=lxc.service\n", body);
        Assert.Contains("\nExecStart=/bin/sh /etc/superbridge/lan.apply.sh\nExecStop=/bin/sh /etc/superbridge/lan.undo.sh\n", body);
        Assert.EndsWith("[Install]\nWantedBy=multi-user.target\n", body);
        Assert.EndsWith(" && systemctl daemon-reload", unit.Do.Argv[2]);
        Assert.EndsWith(" && systemctl daemon-reload", unit.Undo!.Argv[2]);
    }

    [Fact]
    public void Stopping_one_segments_unit_leaves_ip_forwarding_on()
    {
        var observed = ObservedWith(Systemd);
        var undo = Host(SegmentPlanner.Plan(Lan(observed), Hosts, observed).Value, "h1").Steps.Single(s => s.Id == "boot-undo:lan").Do.Argv[4];
        Assert.Contains("# 0 modprobe:vxlan", Host(SegmentPlanner.Plan(Lan(observed), Hosts, observed).Value, "h1")
            .Steps.Single(s => s.Id == "boot-program:lan").Do.Argv[4]);
        Assert.Contains("nat:10.0.2.0/24", undo);
        Assert.DoesNotContain("sysctl:ip_forward", undo);
    }

    [Fact]
    public void A_host_without_systemd_gets_no_boot_steps_and_the_plan_says_why()
    {
        var none = new BootState(Persistence.None, "PID 1 is process_api, not systemd, so nothing recreates a segment at boot", [], []);
        var observed = ObservedWith(Systemd, none);
        var plan = SegmentPlanner.Plan(Lan(observed), Hosts, observed).Value;

        Assert.DoesNotContain(Host(plan, "h2").Steps, s => s.Id.StartsWith("boot-", StringComparison.Ordinal));
        var note = Assert.Single(plan.NotPersistent);
        Assert.Equal(new NotPersistentHost("h2", none.Reason), note);
    }

    [Fact]
    public void Boot_files_as_written_leave_nothing_to_do_and_no_drift()
    {
        var first = ObservedWith(Systemd);
        var segment = Lan(first);
        var observed = Written(segment, first);

        var plan = SegmentPlanner.Plan(segment, Hosts, observed).Value;
        Assert.DoesNotContain(plan.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("boot-", StringComparison.Ordinal));
        Assert.DoesNotContain(SegmentPlanner.DetectDrift(segment, Hosts, observed).Value, d => d.Device.StartsWith("/etc/", StringComparison.Ordinal) || d.Device.StartsWith("superbridge-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_or_missing_file_or_a_disabled_unit_is_drift_that_apply_repairs()
    {
        var first = ObservedWith(Systemd);
        var segment = Lan(first);
        var written = Written(segment, first);
        var boot = written["h1"].Boot;
        var program = boot.File("/etc/superbridge/lan.apply.sh")!;
        var observed = new Dictionary<HostId, ObservedHost>(written)
        {
            ["h1"] = written["h1"] with
            {
                Boot = boot with
                {
                    Files = [.. boot.Files.Where(f => f.Path != "/etc/systemd/system/superbridge-lan.service")
                        .Select(f => f == program ? f with { Content = f.Content + "echo edited\n" } : f)],
                    EnabledUnits = [],
                },
            },
        };

        var drift = SegmentPlanner.DetectDrift(segment, Hosts, observed).Value.Where(d => d.Host == "h1").ToList();
        Assert.Contains(new Drift("h1", "/etc/superbridge/lan.apply.sh", DriftKind.Mismatch, "/etc/superbridge/lan.apply.sh differs from what the segment writes"), drift);
        Assert.Contains(new Drift("h1", "/etc/systemd/system/superbridge-lan.service", DriftKind.Missing, "/etc/systemd/system/superbridge-lan.service is missing"), drift);
        Assert.Contains(new Drift("h1", "superbridge-lan.service", DriftKind.Missing, "superbridge-lan.service is not enabled"), drift);

        var repair = Host(SegmentPlanner.Plan(segment, Hosts, observed).Value, "h1").Steps.Select(s => s.Id)
            .Where(id => id.StartsWith("boot-", StringComparison.Ordinal));
        Assert.Equal(["boot-program:lan", "boot-unit:lan", "boot-enable:lan"], repair);
    }

    [Fact]
    public void Teardown_disables_the_unit_first_and_removes_every_boot_file_stale_ones_too()
    {
        var first = ObservedWith(Systemd);
        var segment = Lan(first);
        var written = Written(segment, first);
        var boot = written["h1"].Boot;
        var observed = new Dictionary<HostId, ObservedHost>(written)
        {
            ["h1"] = written["h1"] with { Boot = boot with { Files = [.. boot.Files.Select(f => f with { Content = f.Content + "# edited\n" })] } },
        };

        var steps = Host(SegmentPlanner.PlanTeardown(segment, Hosts, observed).Value, "h1").Steps.Select(s => s.Id).ToList();
        Assert.Equal(["boot-enable:lan", "boot-unit:lan", "boot-undo:lan", "boot-program:lan", "boot-sysctl:lan"], steps);
    }

    [Fact]
    public void Moving_the_router_moves_the_forwarding_drop_in()
    {
        var first = ObservedWith(Systemd);
        var before = Lan(first);
        var observed = Written(before, first);
        var after = before with { Spec = before.Spec with { Router = before.Spec.Router! with { Host = "h2" } } };
        after = after with { Allocation = Given.Allocated(after.Spec, Hosts, observed: observed).Allocation };

        var plan = SegmentPlanner.PlanChange(before, after, Hosts, observed).Value;
        Assert.Contains("boot-sysctl:lan", Host(plan, "h2").Steps.Select(s => s.Id));
        var h1 = Host(plan, "h1").Steps;
        Assert.Contains(h1, s => s.Id == "boot-sysctl:lan" && s.Do.Argv[2].StartsWith("rm -f", StringComparison.Ordinal));
        // h1's replay program no longer has the router: rewritten.
        Assert.Contains(h1, s => s.Id == "boot-program:lan" && s.Do.Argv[2].StartsWith("mkdir", StringComparison.Ordinal)
            && !s.Do.Argv[4].Contains("dnsmasq:superbr0", StringComparison.Ordinal));
    }

    /// <summary>The hosts as the boot steps of a first plan leave them: every file written (with some operation's header), the unit enabled.</summary>
    private static Dictionary<HostId, ObservedHost> Written(Segment segment, Dictionary<HostId, ObservedHost> observed)
    {
        var plan = SegmentPlanner.Plan(segment, Hosts, observed).Value;
        return plan.Hosts.ToDictionary(h => h.Host, h =>
        {
            var files = h.Steps.Where(s => s.Id.StartsWith("boot-", StringComparison.Ordinal) && s.Id != "boot-enable:lan")
                .Select(s => new ObservedFile(s.Do.Argv[5], s.Do.Argv[6] + " 17\n" + s.Do.Argv[4]));
            return observed[h.Host] with { Boot = observed[h.Host].Boot with { Files = [.. files], EnabledUnits = ["superbridge-lan.service"] } };
        });
    }
}
