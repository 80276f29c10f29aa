using System.Net.Sockets;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// One end of an Ethernet-over-GRE link. Each end names itself <c>local</c> and the other end
/// <c>remote</c> (the guide's host B wrongly used its own address as remote in the L2TP example).
/// </summary>
internal static class GretapSteps
{
    public static IEnumerable<StepDraft> For(string device, AddressFamily family, string local, string remote, uint key, string bridge, int mtu)
    {
        var type = family == AddressFamily.InterNetworkV6 ? "ip6gretap" : "gretap";
        yield return new StepDraft(
            new PlanStep($"link:{device}", $"Create {type} {device} to {remote} (key {key})",
                LinuxCommands.GretapAdd(device, type, local, remote, key), LinuxCommands.LinkDelete(device), LinuxCommands.LinkExists(device)),
            device,
            o => DeviceSteps.Created(o, device, type, link => Differences(link, local, remote, key)),
            Creates: true);
        yield return DeviceSteps.Mtu(device, mtu);
        yield return DeviceSteps.Master(device, bridge);
        yield return DeviceSteps.Up(device);
    }

    private static IEnumerable<string> Differences(Observed.ObservedLink link, string local, string remote, uint key)
    {
        if (link.Gretap is not { } gre) yield break;
        if (!ObservedIndex.SameAddress(gre.Local, local)) yield return $"local {gre.Local ?? "any"}, expected {local}";
        if (!ObservedIndex.SameAddress(gre.Remote, remote)) yield return $"remote {gre.Remote ?? "any"}, expected {remote}";
        if (gre.IKey != key || gre.OKey != key) yield return $"key {gre.IKey?.ToString() ?? "none"}/{gre.OKey?.ToString() ?? "none"}, expected {key}";
        if (gre.Ttl is { } ttl && ttl != 255) yield return $"ttl {ttl}, expected 255";
    }
}
