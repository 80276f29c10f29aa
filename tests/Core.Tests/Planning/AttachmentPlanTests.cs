using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class AttachmentPlanTests
{
    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts, Dictionary<HostId, ObservedHost> Observed) Setup(
        string state = "RUNNING", string? lxcPath = null)
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { LxcPath = lxcPath });
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", Given.Container("web", state, "lxcbr0"));
        var spec = Given.Segment(Transport.Gretap) with { Attachments = [new AttachmentSpec("h2", "web")] };
        return (Given.Allocated(spec, hosts, observed: observed), hosts, observed);
    }

    [Fact]
    public void A_running_container_is_stopped_relinked_and_started()
    {
        var (segment, hosts, observed) = Setup();
        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps
            .Where(s => s.Id.StartsWith("lxc-")).ToList();
        Assert.Equal(["lxc-stop:web", "lxc-link:web", "lxc-start:web"], steps.Select(s => s.Id));
        Assert.Equal(["lxc-stop", "-n", "web"], steps[0].Do.Words());
        Assert.Equal(["lxc-start", "-n", "web"], steps[0].Undo!.Words());
        Assert.Equal(["sed", "-i", "-e", "s/^lxc\\.net\\.0\\.link[[:space:]]*=.*$/lxc.net.0.link = superbr0/", "/var/lib/lxc/web/config"], steps[1].Do.Words());
        Assert.Equal(["sed", "-i", "-e", "s/^lxc\\.net\\.0\\.link[[:space:]]*=.*$/lxc.net.0.link = lxcbr0/", "/var/lib/lxc/web/config"], steps[1].Undo!.Words());
        Assert.Equal(["grep", "-qxF", "--", "lxc.net.0.link = superbr0", "/var/lib/lxc/web/config"], steps[1].Check!.Words());
        Assert.Equal(["lxc-start", "-n", "web"], steps[2].Do.Words());
        Assert.Equal(["lxc-stop", "-n", "web"], steps[2].Undo!.Words());
        Assert.Equal("lxcbr0", segment.Allocation.Attachments[0].PreviousLink);
    }

    [Fact]
    public void A_container_that_ran_when_attached_and_is_found_stopped_on_the_bridge_is_started_again_by_a_repair()
    {
        var (segment, hosts, observed) = Setup();
        Assert.True(segment.Allocation.Attachments[0].WasRunning);
        // After a reboot without the bridge: the config names the bridge, the container could not start.
        observed["h2"] = Given.Observed("h2", Given.Container("web", "STOPPED", "superbr0"));

        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps
            .Where(s => s.Id.StartsWith("lxc-")).ToList();
        var start = Assert.Single(steps);
        Assert.Equal("lxc-start:web", start.Id);
        Assert.Equal(["lxc-start", "-n", "web"], start.Do.Words());
        Assert.Contains(SegmentPlanner.DetectDrift(segment, hosts, observed).Value,
            d => d.Host == "h2" && d.Detail == "container web is stopped; it ran when attached");
    }

    [Fact]
    public void An_apply_cut_short_between_stop_and_relink_is_completed_by_relinking_and_starting_the_container()
    {
        var (segment, hosts, observed) = Setup();
        // The dashboard died after lxc-stop: the container is stopped and still on its old link.
        observed["h2"] = Given.Observed("h2", Given.Container("web", "STOPPED", "lxcbr0"));

        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps
            .Where(s => s.Id.StartsWith("lxc-")).ToList();

        Assert.Equal(["lxc-link:web", "lxc-start:web"], steps.Select(s => s.Id));
        Assert.Equal(["lxc-start", "-n", "web"], steps[1].Do.Words());
    }

    [Fact]
    public void A_container_stopped_when_attached_stays_stopped()
    {
        var (segment, hosts, observed) = Setup("STOPPED");
        Assert.False(segment.Allocation.Attachments[0].WasRunning);
        observed["h2"] = Given.Observed("h2", Given.Container("web", "STOPPED", "superbr0"));
        Assert.DoesNotContain(SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("lxc-"));
    }

    [Fact]
    public void A_container_whose_config_has_no_link_gets_one_appended_and_loses_it_again_on_detach()
    {
        // lab/up's containers (and lxc's default.conf without lxc.net.0.link): a veth attached to nothing.
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", new ObservedContainer { Name = "web", State = "RUNNING", ConfiguredLink = null });
        var spec = Given.Segment(Transport.Gretap) with { Attachments = [new AttachmentSpec("h2", "web")] };
        var segment = Given.Allocated(spec, hosts, observed: observed);

        var link = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps.Single(s => s.Id == "lxc-link:web");

        Assert.Null(segment.Allocation.Attachments[0].PreviousLink);
        Assert.Equal(["sed", "-i", "-e", "$a lxc.net.0.link = superbr0", "/var/lib/lxc/web/config"], link.Do.Words());
        Assert.Equal(["sed", "-i", "-e", "/^lxc\\.net\\.0\\.link[[:space:]]*=/d", "/var/lib/lxc/web/config"], link.Undo!.Words());
        Assert.Equal(["grep", "-qxF", "--", "lxc.net.0.link = superbr0", "/var/lib/lxc/web/config"], link.Check!.Words());
    }

    [Fact]
    public void Appending_and_removing_the_link_line_leaves_the_config_byte_for_byte_as_before()
    {
        var config = Path.Combine(Path.GetTempPath(), $"sb-lxc-config-{Guid.NewGuid():N}");
        var original = "lxc.net.0.type = veth\nlxc.net.0.flags = up\nlxc.uts.name = \"web\"\n";
        File.WriteAllText(config, original);
        try
        {
            Run(Superbridge.Core.Commands.LxcCommands.AddLink(config, "superbr0"));
            Assert.Equal(original + "lxc.net.0.link = superbr0\n", File.ReadAllText(config));
            Run(Superbridge.Core.Commands.LxcCommands.LinkIs(config, "superbr0"));
            Run(Superbridge.Core.Commands.LxcCommands.RemoveLink(config));
            Assert.Equal(original, File.ReadAllText(config));
        }
        finally
        {
            File.Delete(config);
        }

        static void Run(Superbridge.Core.Commands.Command command)
        {
            var start = new System.Diagnostics.ProcessStartInfo(command.Argv[0]) { UseShellExecute = false };
            foreach (var word in command.Argv.Skip(1)) start.ArgumentList.Add(word);
            using var process = System.Diagnostics.Process.Start(start)!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }
    }

    [Fact]
    public void A_stopped_container_only_has_its_config_changed()
    {
        var (segment, hosts, observed) = Setup("STOPPED");
        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps;
        Assert.Equal(["lxc-link:web"], steps.Where(s => s.Id.StartsWith("lxc-")).Select(s => s.Id));
    }

    [Fact]
    public void A_non_default_lxcpath_is_passed_with_P_and_used_for_the_config()
    {
        var (segment, hosts, observed) = Setup(lxcPath: "/srv/lxc");
        var steps = SegmentPlanner.Plan(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps;
        Assert.Equal(["lxc-stop", "-n", "web", "-P", "/srv/lxc"], steps.Single(s => s.Id == "lxc-stop:web").Do.Words());
        Assert.Equal("/srv/lxc/web/config", steps.Single(s => s.Id == "lxc-link:web").Do.Argv[^1]);
    }

    [Fact]
    public void Detaching_restores_the_previous_link_in_reverse_order()
    {
        var (segment, hosts, observed) = Setup();
        observed["h2"] = Given.Observed("h2", Given.Container("web", "RUNNING", "superbr0")) with
        {
            Links = [new ObservedLink { Name = "superbr0", Kind = "bridge", Mtu = 1458, IsUp = true }],
        };
        var teardown = SegmentPlanner.PlanTeardown(segment, hosts, observed).Value.Hosts.Single(h => h.Host == "h2").Steps;
        var lxc = teardown.Where(s => s.Id.StartsWith("lxc-")).ToList();
        Assert.Equal(["lxc-start:web", "lxc-link:web", "lxc-stop:web"], lxc.Select(s => s.Id));
        Assert.Equal(["lxc-stop", "-n", "web"], lxc[0].Do.Words());
        Assert.EndsWith("lxc.net.0.link = lxcbr0/", lxc[1].Do.Argv[3]);
        Assert.Equal(["lxc-start", "-n", "web"], lxc[2].Do.Words());
        // Attachments come off before the bridge goes.
        Assert.True(teardown.ToList().FindIndex(s => s.Id == "lxc-stop:web") < teardown.ToList().FindIndex(s => s.Id == "bridge:superbr0"));
    }

    [Fact]
    public void A_previous_link_from_observed_state_is_validated_before_reaching_sed()
    {
        var hosts = Given.Hosts(2);
        var observed = Given.ObservedAll(2);
        observed["h2"] = Given.Observed("h2", Given.Container("web", "RUNNING", "x/;reboot"));
        var spec = Given.Segment(Transport.Gretap) with { Attachments = [new AttachmentSpec("h2", "web")] };
        var result = Superbridge.Core.Allocation.SegmentAllocator.Allocate(spec, hosts, [], observed);
        Assert.Equal("attachments[0].container", Assert.Single(result.Errors).Path);
    }
}
