using Superbridge.Core.Allocation;
using Superbridge.Core.Model;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;
using Superbridge.Web.Topology;
using static Superbridge.Web.Tests.Topology.TopologyFixtures;

namespace Superbridge.Web.Tests.Drift;

/// <summary>
/// The VXLAN segment lab host h1 was captured with (<see cref="InventoryFixtures.LabH1"/>): bridge sbinv-br0 at MTU 1450,
/// device sbinv-vx0 with VNI 4242 flooding to h2 and h3. Allocated by Core, then h1's device named as captured.
/// </summary>
public static class DriftFixtures
{
    public const string CapturedDevice = "sbinv-vx0";

    /// <summary>h1..h3 stored, h1 online with its captured inventory.</summary>
    public static KnownHosts LabHosts(HostStatus? h1 = null) => Known(3, h1 ?? Online("h1"));

    public static HostStatus Online(string hostId)
    {
        var online = InventoryFixtures.LabH1(hostId);
        return new HostStatus { HostId = hostId, State = HostState.Online, Inventory = online.Inventory, Observed = online.Host };
    }

    /// <param name="deviceOnH1">The VXLAN device Superbridge would have created on h1; anything but <see cref="CapturedDevice"/> is missing there.</param>
    public static Segment CapturedSegment(KnownHosts hosts, string deviceOnH1 = CapturedDevice, long vni = 4242)
    {
        var spec = new SegmentSpec { Name = "sbinv", Bridge = "sbinv-br0", Transport = Transport.Vxlan, Members = ["h1", "h2", "h3"], Vni = vni };
        var segment = SegmentAllocator.Allocate(spec, hosts.Infos(), []).Value;
        var devices = segment.Allocation.VxlanDevices.Select(d => d.Host == "h1" ? d with { Device = deviceOnH1 } : d);
        return segment with { Allocation = segment.Allocation with { VxlanDevices = [.. devices] } };
    }
}
