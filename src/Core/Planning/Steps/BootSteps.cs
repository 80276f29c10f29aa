using System.Collections.Immutable;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Programs;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// What brings a host's part of a segment back at boot, on a host whose PID 1 is systemd: the host's setup steps as
/// one apply program (the same checked steps a live apply runs, so a replay skips what is there), its undo, a oneshot
/// unit running them, the unit enabled, and on a routing host a sysctl.d drop-in for IPv4 forwarding (one per segment,
/// so tearing one down leaves another's). Container attachments are not replayed: the link lives in the container's own
/// config, and LXC autostarts the container after the unit (the unit is ordered before lxc.service).
/// </summary>
internal static class BootSteps
{
    /// <summary>IPv4 forwarding stays on when one segment's unit is stopped: another segment may route through it.</summary>
    private const string SharedForwardingStep = "sysctl:ip_forward";

    public static IEnumerable<StepDraft> For(SegmentSpec spec, HostId host, IReadOnlyList<StepDraft> setup)
    {
        var segment = spec.Name;
        // Not replayed: attachments (the link lives in the container's config) and IPsec (strongSwan's own unit loads
        // the swanctl files at boot, and a key never goes into a boot file).
        var replay = FloodBatches.Merge([.. setup
            .Where(d => !d.Step.Id.StartsWith("lxc-", StringComparison.Ordinal) && !d.Step.Id.StartsWith("ipsec", StringComparison.Ordinal))
            .Select(d => d.Step)]);
        var plan = new HostPlan(host, replay);
        var undoOrder = Enumerable.Range(0, replay.Length).Reverse().Where(i => replay[i].Id != SharedForwardingStep).ToList();

        if (replay.Any(s => s.Id == SharedForwardingStep))
            yield return File($"boot-sysctl:{segment}", "IPv4 forwarding drop-in", BootCommands.SysctlPath(segment),
                "sysctl.d drop-in", segment, BootCommands.ForwardingDropIn, reload: false);
        yield return File($"boot-program:{segment}", "boot program", BootCommands.ApplyProgramPath(segment),
            "boot program", segment, HostProgram.Apply(plan), reload: false);
        yield return File($"boot-undo:{segment}", "stop program", BootCommands.UndoProgramPath(segment),
            "stop program", segment, HostProgram.Undo(plan, undoOrder), reload: false);
        yield return File($"boot-unit:{segment}", "systemd unit", BootCommands.UnitPath(segment),
            "systemd unit", segment, BootCommands.Unit(segment, spec.Bridge, spec.Encryption == Encryption.Ipsec), reload: true);

        var unit = BootCommands.UnitName(segment);
        yield return new StepDraft(
            new PlanStep($"boot-enable:{segment}", $"Enable {unit} so the segment comes back at boot",
                BootCommands.Enable(segment), BootCommands.Disable(segment), BootCommands.IsEnabled(segment)),
            unit,
            o => o.Host.Boot.EnabledUnits.Contains(unit) ? Observation.Done : Observation.Missing($"{unit} is not enabled"));
    }

    private static StepDraft File(string id, string what, string path, string headerWhat, string segment, string body, bool reload)
    {
        var header = BootCommands.Header(headerWhat, segment);
        return new StepDraft(
            new PlanStep(id, $"Write the {what} {path}",
                BootCommands.Write(path, header, body, reload ? BootCommands.SystemdReload : null),
                BootCommands.Remove(path, reload ? BootCommands.SystemdReload : null), BootCommands.Holds(path, body)),
            path,
            o => ObserveFile(o, path, body));
    }

    /// <summary>A file Superbridge writes, read back: missing, as written (after its header line), or stale.</summary>
    public static Observation ObserveFile(ObservedIndex o, string path, string body) =>
        o.Host.Boot.File(path) is not { } file ? Observation.Missing($"{path} is missing")
        : BootCommands.BodyOf(file.Content) == body ? Observation.Done
        : Observation.Outdated($"{path} differs from what the segment writes");
}
