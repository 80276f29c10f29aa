using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Core.Planning;
using Superbridge.Core.Programs;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

public class KeyRotationPlanTests
{
    private static (Segment Segment, Dictionary<HostId, HostInfo> Hosts) Encrypted(Transport transport, int hosts)
    {
        var infos = Given.Hosts(hosts);
        var observed = Given.ObservedIpsecReady(hosts);
        var spec = Given.Segment(transport, hosts) with { Encryption = Encryption.Ipsec };
        return (Given.Allocated(spec, infos, observed: observed), infos);
    }

    [Fact]
    public void The_pairs_are_each_link_or_every_two_vxlan_members_named_as_their_connections()
    {
        var (vxlan, _) = Encrypted(Transport.Vxlan, 3);
        var (gretap, _) = Encrypted(Transport.Gretap, 3);

        Assert.Equal(["h1/h2", "h1/h3", "h2/h3"], IpsecPair.Of(vxlan.Spec).Select(p => $"{p.A}/{p.B}"));
        Assert.Equal(gretap.Allocation.Links.Select(l => $"{l.A}/{l.B}"), IpsecPair.Of(gretap.Spec).Select(p => $"{p.A}/{p.B}"));
        Assert.All(IpsecPair.Of(vxlan.Spec), p => Assert.Matches("^lan-[0-9a-f]{8}$", p.Name));
        Assert.Empty(IpsecPair.Of(vxlan.Spec with { Encryption = Encryption.None }));
    }

    [Fact]
    public void A_segment_with_attached_containers_rotates_without_observing_them()
    {
        var infos = Given.Hosts(2);
        var observed = Given.ObservedIpsecReady(2);
        observed["h2"] = observed["h2"] with { Containers = [Given.Container("web")] };
        var spec = Given.Segment(Transport.Gretap) with { Encryption = Encryption.Ipsec, Attachments = [new AttachmentSpec("h2", "web")] };
        var segment = Given.Allocated(spec, infos, observed: observed);

        var plan = SegmentPlanner.PlanKeyRotation(segment, IpsecPair.Of(segment.Spec).Single(), infos);

        Assert.True(plan.IsOk, string.Join("; ", plan.Errors));
        Assert.DoesNotContain(plan.Value.Hosts.SelectMany(h => h.Steps), s => s.Id.StartsWith("lxc-", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_end_writes_the_staged_key_without_a_check_its_undo_writes_the_old_one_and_the_second_end_reauthenticates()
    {
        var (segment, hosts) = Encrypted(Transport.Vxlan, 3);
        var pair = IpsecPair.Find(segment.Spec, new HostId("h3"), new HostId("h1"))!;

        var plan = SegmentPlanner.PlanKeyRotation(segment, pair, hosts).Value;

        Assert.Equal(["h1", "h3"], plan.Hosts.Select(h => h.Host.Value));
        var h1 = Assert.Single(plan.Hosts[0].Steps);
        var path = SwanctlCommands.SecretsPath(pair.Name);
        Assert.Equal(($"ipsec-key:{pair.Name}", SecretPlaceholders.Staged(pair.Name), pair.Name, null), (h1.Id, h1.Secret, h1.UndoSecret, h1.Check));
        Assert.Equal(SwanctlCommands.WriteSecrets(path, BootCommands.Header("IPsec key", "lan"), pair.Name, "1.1.1.1", "3.3.3.3", SecretPlaceholders.Staged(pair.Name)), h1.Do);
        Assert.Equal(SwanctlCommands.WriteSecrets(path, BootCommands.Header("IPsec key", "lan"), pair.Name, "1.1.1.1", "3.3.3.3"), h1.Undo);
        Assert.Contains("\"$" + SecretPlaceholders.Variable(SecretPlaceholders.Staged(pair.Name)) + "\"", h1.Do.Argv[2]);
        Assert.Equal([$"ipsec-key:{pair.Name}", $"ipsec-reauth:{pair.Name}"], plan.Hosts[1].Steps.Select(s => s.Id));
        Assert.Equal<string>(["sh", "-c",
            "swanctl --list-sas --ike \"$1\" --noblock 2>/dev/null | grep -q . || exit 0; exec swanctl --rekey --ike \"$1\" --reauth", "sh", pair.Name],
            plan.Hosts[1].Steps[1].Do.Argv.ToArray());
    }

    [Fact]
    public void The_apply_program_exports_the_new_key_and_the_undo_program_the_old_one_both_as_placeholders()
    {
        var (segment, hosts) = Encrypted(Transport.Gretap, 2);
        var pair = IpsecPair.Of(segment.Spec).Single();
        var host = SegmentPlanner.PlanKeyRotation(segment, pair, hosts).Value.Hosts[0];
        var staged = SecretPlaceholders.Staged(pair.Name);

        Assert.Contains($"\texport {SecretPlaceholders.Variable(staged)}={PosixShell.Quote(SecretPlaceholders.For(staged))}\n", HostProgram.Apply(host));
        var undo = HostProgram.Undo(host, [0]);
        Assert.Contains($"\texport {SecretPlaceholders.Variable(pair.Name)}={PosixShell.Quote(SecretPlaceholders.For(pair.Name))}\n", undo);
        Assert.DoesNotContain(SecretPlaceholders.Variable(staged) + "=", undo);
    }

    [Fact]
    public void A_pair_of_another_segment_is_refused_naming_the_link()
    {
        var (segment, hosts) = Encrypted(Transport.Gretap, 2);

        var result = SegmentPlanner.PlanKeyRotation(segment, new IpsecPair(new HostId("h1"), new HostId("h2"), "other.00000000"), hosts);

        Assert.Equal("link", Assert.Single(result.Errors).Path);
    }
}
