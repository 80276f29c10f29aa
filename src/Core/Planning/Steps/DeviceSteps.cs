using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning.Steps;

/// <summary>Steps shared by every device on the segment: explicit MTU, bridge membership, admin up.</summary>
internal static class DeviceSteps
{
    public static StepDraft Mtu(string device, int mtu) => new(
        new PlanStep($"mtu:{device}", $"Set MTU {mtu} on {device}", LinuxCommands.SetMtu(device, mtu), null, LinuxCommands.MtuIs(device, mtu)),
        device,
        o => o.Link(device) switch
        {
            null => Observation.Absent,
            { Mtu: var m } when m == mtu => Observation.Done,
            { Mtu: var m } => new Observation(false, $"mtu {m}, expected {mtu}"),
        });

    public static StepDraft Master(string device, string bridge) => new(
        new PlanStep($"master:{device}", $"Add {device} to bridge {bridge}",
            LinuxCommands.SetMaster(device, bridge), LinuxCommands.SetNoMaster(device), LinuxCommands.IsPortOf(device, bridge)),
        device,
        o => o.Link(device) switch
        {
            null => Observation.Absent,
            { Master: var m } when m == bridge => Observation.Done,
            { Master: null } => Observation.Missing($"not a port of {bridge}"),
            { Master: var m } => new Observation(false, $"port of {m}, expected {bridge}"),
        });

    public static StepDraft Up(string device) => new(
        new PlanStep($"up:{device}", $"Bring {device} up", LinuxCommands.SetUp(device), LinuxCommands.SetDown(device), LinuxCommands.IsUp(device)),
        device,
        o => o.Link(device) switch
        {
            null => Observation.Absent,
            { IsUp: true } => Observation.Done,
            _ => Observation.Missing("down"),
        });

    /// <summary>The create step's observation: present when a device of that name exists, with drift when it is of another kind or differs.</summary>
    public static Observation Created(ObservedIndex o, string device, string kind, Func<Observed.ObservedLink, IEnumerable<string>>? differences = null)
    {
        var link = o.Link(device);
        if (link is null) return Observation.Absent;
        if (link.Kind != kind) return new Observation(true, $"is a {(link.Kind.Length == 0 ? "physical device" : link.Kind)}, expected {kind}");
        var diff = differences is null ? [] : differences(link).ToList();
        return new Observation(true, diff.Count == 0 ? null : string.Join("; ", diff));
    }
}
