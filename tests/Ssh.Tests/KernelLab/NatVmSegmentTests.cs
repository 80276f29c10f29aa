using System.Collections.Concurrent;
using System.Collections.Immutable;
using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Lab;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Tests.EndToEnd;
using Superbridge.Ssh.Tests.Lab;

namespace Superbridge.Ssh.Tests.KernelLab;

/// <summary>
/// Segments between a plain VM (the router) and a VM behind a 1:1 NAT (<c>lab/vms up 2 --nat 2</c>): the NATed end
/// binds its private address and the plain end sends to its public one; the NATed VM's container leases across and
/// reaches upstream as VM1. L2TPv3 over UDP, and VXLAN with IPsec (NAT-T).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NatVmSegmentTests(LabFixture lab, VmLabFixture vms) : IClassFixture<VmLabFixture>
{
    private readonly VmSegments _vm = new(lab, vms);

    [NatVmFact]
    public async Task L2tp_over_udp_crosses_the_1to1_nat_in_front_of_a_vm_and_its_container_leases_and_reaches_upstream()
    {
        var (vm1, natted) = (vms.Hosts.First(h => !h.Nat), vms.Hosts.First(h => h.Nat));
        await RunAsync(_vm.Spec("knatudp", "sbknat0", Transport.L2tpv3Udp, vm1, natted, natted.Containers[0]), vm1, natted, async (observed, mtu) =>
        {
            var natEnd = Assert.Single(observed[_vm.Id(natted)].L2tpTunnels);
            var plainEnd = Assert.Single(observed[_vm.Id(vm1)].L2tpTunnels);
            Assert.Equal((natted.PrivateAddress, vm1.Address), (natEnd.Local, natEnd.Remote));
            Assert.Equal((vm1.Address, natted.PublicAddress), (plainEnd.Local, plainEnd.Remote));
            await _vm.AssertTrafficAsync(vm1, natted, natted.Containers[0], mtu, "l2tpv3-udp", "across the NAT");
        });
    }

    [NatVmFact]
    public async Task Encrypted_vxlan_across_the_1to1_nat_authenticates_with_the_public_address_and_carries_the_container_upstream()
    {
        var (vm1, natted) = (vms.Hosts.First(h => !h.Nat), vms.Hosts.First(h => h.Nat));
        var spec = _vm.Spec("knatesp", "sbknatesp0", Transport.Vxlan, vm1, natted, natted.Containers[0]) with { Encryption = Encryption.Ipsec };
        await RunAsync(spec, vm1, natted, async (_, mtu) =>
        {
            await _vm.AssertTrafficAsync(vm1, natted, natted.Containers[0], mtu, "vxlan+ipsec", "across the NAT");
            // strongSwan saw the NAT and moved ESP into UDP 4500; the plain end knows the NATed one by its public address.
            var sas = (await vms.SshAsync(vm1, "swanctl --list-sas")).EnsureSuccess().StandardOutput;
            Assert.Contains("ESTABLISHED", sas);
            Assert.Contains($"remote '{natted.PublicAddress}' @ {natted.PublicAddress}[4500]", sas);
        });
    }

    /// <summary>Allocates against the VMs' inventory, applies, runs <paramref name="check"/> on what is then observed, tears down.</summary>
    private async Task RunAsync(SegmentSpec spec, VmLabHost vm1, VmLabHost natted, Func<Dictionary<HostId, ObservedHost>, int, Task> check)
    {
        await _vm.LoadModulesAsync(vm1, natted);
        var audit = new InMemoryAuditSink();
        ImmutableArray<ApplyHost> hosts = [_vm.Host(vm1), _vm.Host(natted)];
        await using var pool = SshConnectionPool.Create(LabSegments.Options, TimeProvider.System, audit);
        var inventory = new HostInventoryService(pool, TimeProvider.System);
        var applier = new LabApplier(pool, inventory, new HostLocks(), TimeProvider.System);
        var before = await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts);
        var allocated = SegmentAllocator.Allocate(spec, hosts.ToDictionary(h => h.Id, h => h.Info), [], before);
        Assert.True(allocated.IsOk, string.Join("; ", allocated.Errors));
        var segment = allocated.Value;
        var events = new ConcurrentQueue<ApplyEvent>();
        var tornDown = false;
        try
        {
            var applied = await applier.RunAsync(SegmentOperation.Apply(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            Assert.True(applied.Status == ApplyStatus.Succeeded, VxlanSegmentEndToEndTests.Describe(applied, events));
            Assert.Empty(applied.Drift);
            await check(await VmSegments.ObserveAsync(new LabHostObserver(inventory, hosts), hosts), applied.Plan!.Mtu);

            events.Clear();
            var teardown = await applier.RunAsync(SegmentOperation.Teardown(segment), hosts, onEvent: VxlanSegmentEndToEndTests.Collect(events));
            tornDown = teardown.Status == ApplyStatus.Succeeded;
            Assert.True(tornDown, VxlanSegmentEndToEndTests.Describe(teardown, events));
        }
        finally
        {
            if (!tornDown) await _vm.ScrubAsync(segment, vm1, natted);
        }
    }
}
