using System.Collections.Immutable;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning;

/// <summary>
/// Planning keeps one flood entry per peer (drift names the missing peer, a change adds or removes just the peers
/// that changed), but a host runs the entries of one device together: consecutive flood steps on a device become
/// one step of <see cref="LinuxCommands.FloodAppend"/> (or, tearing down, <see cref="LinuxCommands.FloodDelete"/>),
/// so a host of a 100-host mesh runs two processes for its 99 entries instead of about 400.
/// </summary>
internal static class FloodBatches
{
    private enum Direction { Append, Delete }

    public static ImmutableArray<PlanStep> Merge(IReadOnlyList<PlanStep> steps)
    {
        var merged = ImmutableArray.CreateBuilder<PlanStep>(steps.Count);
        for (var i = 0; i < steps.Count;)
        {
            if (Flood(steps[i]) is not { } first)
            {
                merged.Add(steps[i++]);
                continue;
            }
            var peers = new List<string> { first.Peer };
            var j = i + 1;
            while (j < steps.Count && Flood(steps[j]) is { } next && next.Device == first.Device && next.Direction == first.Direction)
            {
                peers.Add(next.Peer);
                j++;
            }
            merged.Add(j - i == 1 ? steps[i] : Batch(first.Device, first.Direction, peers));
            i = j;
        }
        return merged.ToImmutable();
    }

    private static PlanStep Batch(string device, Direction direction, List<string> peers) => direction == Direction.Append
        ? new PlanStep($"fdb:{device}", $"Flood {device} to {Peers(peers)}",
            LinuxCommands.FloodAppend(device, peers), LinuxCommands.FloodDelete(device, peers), LinuxCommands.FloodComplete(device, peers))
        : new PlanStep($"fdb:{device}", $"Undo: Flood {device} to {Peers(peers)}",
            LinuxCommands.FloodDelete(device, peers), LinuxCommands.FloodAppend(device, peers), LinuxCommands.FloodGone(device, peers));

    private static string Peers(List<string> peers) => peers.Count <= 3 ? string.Join(", ", peers) : $"{peers.Count} peers ({peers[0]} … {peers[^1]})";

    /// <summary>A single flood step as the VXLAN steps build it (append) or a teardown turns it round (delete).</summary>
    private static (string Device, string Peer, Direction Direction)? Flood(PlanStep step)
    {
        if (!step.Id.StartsWith("fdb:", StringComparison.Ordinal)) return null;
        var argv = step.Do.Argv;
        if (argv.Length != 8 || argv[0] != "bridge" || argv[1] != "fdb" || argv[3] != LinuxCommands.AllZerosMac) return null;
        return argv[2] switch
        {
            "append" => (argv[5], argv[7], Direction.Append),
            "del" => (argv[5], argv[7], Direction.Delete),
            _ => null,
        };
    }
}
