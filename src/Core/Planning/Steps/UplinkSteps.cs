namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// A NIC of the host in the segment's bridge (an uplink, or the external router's interface): enslaved, and up so it
/// carries frames. Undone it is released (nomaster) and left up: it is the host's NIC, not the segment's, and the
/// operator may use it for something else. Its master, as observed, is the drift check.
/// </summary>
internal static class UplinkSteps
{
    public static IEnumerable<StepDraft> For(string nic, string bridge)
    {
        yield return DeviceSteps.Master(nic, bridge);
        var up = DeviceSteps.Up(nic);
        yield return up with { Step = up.Step with { Undo = null } };
    }
}
