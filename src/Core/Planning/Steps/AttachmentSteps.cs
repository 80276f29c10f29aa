using Superbridge.Core.Allocation;
using Superbridge.Core.Commands;
using Superbridge.Core.Observed;

namespace Superbridge.Core.Planning.Steps;

/// <summary>
/// Moving a container's lxc.net.0.link to the bridge. A running container is stopped, re-linked and
/// started, in three steps, so rollback (start←stop, re-link back, stop←start) is exact: the container
/// ends up running on its old link. A stopped container only has its config changed.
/// </summary>
internal static class AttachmentSteps
{
    public static IEnumerable<StepDraft> For(AttachmentAllocation attachment, string? lxcPath, string bridge, bool running)
    {
        var name = attachment.Container;
        var config = LxcCommands.ConfigPath(lxcPath, name);
        if (running)
        {
            yield return new StepDraft(
                new PlanStep($"lxc-stop:{name}", $"Stop container {name} to re-link it",
                    LxcCommands.Stop(name, lxcPath), LxcCommands.Start(name, lxcPath), LxcCommands.StoppedOrLinked(name, lxcPath, config, bridge)),
                $"container {name}",
                o => Container(o, name) is { } c ? new Observation(c.ConfiguredLink == bridge || c.State != "RUNNING") : Observation.Absent);
        }
        yield return new StepDraft(
            attachment.PreviousLink is { } previous
                ? new PlanStep($"lxc-link:{name}", $"Link container {name} to {bridge} (was {previous})",
                    LxcCommands.SetLink(config, bridge), LxcCommands.SetLink(config, previous), LxcCommands.LinkIs(config, bridge))
                // No link line before: append one, and remove it again on undo (sed's s/// would change nothing).
                : new PlanStep($"lxc-link:{name}", $"Link container {name} to {bridge} (was linked to nothing)",
                    LxcCommands.AddLink(config, bridge), LxcCommands.RemoveLink(config), LxcCommands.LinkIs(config, bridge)),
            $"container {name}",
            o => Container(o, name) switch
            {
                null => Observation.Absent,
                { ConfiguredLink: var link } when link == bridge => Observation.Done,
                { ConfiguredLink: var link } => new Observation(false, $"linked to {link ?? "nothing"}, expected {bridge}"),
            });
        if (running)
        {
            yield return new StepDraft(
                new PlanStep($"lxc-start:{name}", $"Start container {name} on {bridge}",
                    LxcCommands.Start(name, lxcPath), LxcCommands.Stop(name, lxcPath), LxcCommands.IsRunning(name, lxcPath)),
                $"container {name}",
                o => new Observation(Container(o, name) is { State: "RUNNING" } c && c.ConfiguredLink == bridge));
        }
    }

    /// <summary>An attached container that ran when it was attached and is found stopped: started again on the bridge.</summary>
    public static StepDraft StartAgain(AttachmentAllocation attachment, string? lxcPath, string bridge)
    {
        var name = attachment.Container;
        return new StepDraft(
            new PlanStep($"lxc-start:{name}", $"Start container {name} again on {bridge} (it ran when attached, and is stopped)",
                LxcCommands.Start(name, lxcPath), LxcCommands.Stop(name, lxcPath), LxcCommands.IsRunning(name, lxcPath)),
            $"container {name}",
            o => Container(o, name) is { State: "RUNNING" } ? Observation.Done : Observation.Missing($"container {name} is stopped; it ran when attached"));
    }

    private static ObservedContainer? Container(ObservedIndex o, string name) => o.Host.Containers.FirstOrDefault(c => c.Name == name);
}
