using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>The segment's bridge on one host: created, MTU pinned explicitly (so ports cannot raise or lower it), optional STP, up.</summary>
internal static class BridgeSteps
{
    public static IEnumerable<StepDraft> For(string bridge, int mtu, bool stp)
    {
        yield return new StepDraft(
            new PlanStep($"bridge:{bridge}", $"Create bridge {bridge}",
                LinuxCommands.BridgeAdd(bridge), LinuxCommands.LinkDelete(bridge), LinuxCommands.LinkExists(bridge)),
            bridge, o => DeviceSteps.Created(o, bridge, "bridge"), Creates: true);
        yield return DeviceSteps.Mtu(bridge, mtu);
        if (stp)
        {
            yield return new StepDraft(
                new PlanStep($"stp:{bridge}", $"Enable STP on {bridge} (links form a cycle)",
                    LinuxCommands.SetStp(bridge, true), LinuxCommands.SetStp(bridge, false), LinuxCommands.StpIsOn(bridge)),
                bridge,
                o => o.Link(bridge) switch
                {
                    null => Observation.Absent,
                    { StpEnabled: true } => Observation.Done,
                    _ => new Observation(false, "STP off, expected on"),
                });
        }
        yield return DeviceSteps.Up(bridge);
    }
}
