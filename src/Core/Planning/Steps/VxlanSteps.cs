using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// The one VXLAN device of a segment on a host, with head-end replication: an all-zeros fdb entry per
/// peer, so N hosts need N devices rather than N(N-1)/2 tunnels. <c>dstport 4789</c> is always written
/// because Linux otherwise uses 8472 and two ends could disagree.
/// </summary>
internal static class VxlanSteps
{
    public static IEnumerable<StepDraft> For(string device, uint vni, string local, string? underlayDevice,
        IReadOnlyList<string> peers, string bridge, int mtu, bool observing)
    {
        yield return new StepDraft(
            new PlanStep($"link:{device}", $"Create VXLAN {device} (VNI {vni})",
                LinuxCommands.VxlanAdd(device, vni, local, underlayDevice), LinuxCommands.LinkDelete(device), LinuxCommands.LinkExists(device)),
            device,
            o => DeviceSteps.Created(o, device, "vxlan", link => Differences(link, vni, local, underlayDevice)),
            Creates: true);
        yield return DeviceSteps.Mtu(device, mtu);
        yield return DeviceSteps.Master(device, bridge);
        foreach (var peer in peers) yield return Flood(device, peer, observing);
        yield return DeviceSteps.Up(device);
    }

    /// <summary>
    /// One flood entry. These are N×(N-1) steps, the bulk of a large plan, so the observer is only
    /// built when there is observed state to read.
    /// </summary>
    private static StepDraft Flood(string device, string peer, bool observing) => new(
        new PlanStep($"fdb:{device}:{peer}", $"Flood {device} to {peer}",
            LinuxCommands.FdbAppend(device, peer), LinuxCommands.FdbDelete(device, peer), LinuxCommands.FdbExists(device, peer)),
        device,
        observing ? FloodObserver(device, peer) : null);

    private static Func<ObservedIndex, Observation> FloodObserver(string device, string peer) =>
        o => o.FloodEntries.Contains((device, peer)) ? Observation.Done
            : o.Link(device) is null ? Observation.Absent
            : Observation.Missing($"no flood entry to {peer}");

    private static IEnumerable<string> Differences(Observed.ObservedLink link, uint vni, string local, string? underlayDevice)
    {
        if (link.Vxlan is not { } vx) yield break;
        if (vx.Vni != vni) yield return $"VNI {vx.Vni}, expected {vni}";
        if (!ObservedIndex.SameAddress(vx.Local, local)) yield return $"local {vx.Local ?? "any"}, expected {local}";
        if (vx.DstPort != LinuxCommands.VxlanPort) yield return $"dstport {vx.DstPort}, expected {LinuxCommands.VxlanPort}";
        if (underlayDevice is not null && vx.Dev != underlayDevice) yield return $"dev {vx.Dev ?? "none"}, expected {underlayDevice}";
    }
}
