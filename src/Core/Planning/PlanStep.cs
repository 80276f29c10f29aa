using Superbridge.Core.Commands;

namespace Superbridge.Core.Planning;

/// <summary>
/// One idempotent, reversible change on one host.
/// Executing: run <see cref="Check"/> (exit 0 = already done, skip); else run <see cref="Do"/>; on a later
/// failure run the <see cref="Undo"/> of completed steps in reverse order.
/// </summary>
/// <param name="Id">Stable identity within the host plan (e.g. <c>link:sbg-lan-0</c>); the same resource gets the same id in every plan.</param>
/// <param name="Undo">Null when the step leaves nothing to undo on its own (an MTU on a device this plan
/// creates goes with the device; a loaded kernel module is left for other tunnels).</param>
/// <param name="Check">Null when there is no cheap test; <see cref="Do"/> is then safe to repeat.</param>
public sealed record PlanStep(string Id, string Description, Command Do, Command? Undo, Command? Check)
{
    /// <summary>
    /// The key <see cref="Do"/> reads from its environment (<see cref="Commands.SecretPlaceholders.Variable"/>), never from
    /// its argv, so no other user on the host can read it in a process list. The host program exports it, as a
    /// placeholder the executor resolves when it sends the program; null for the steps that need no key.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>The key <see cref="Undo"/> reads the same way (a rotation's undo writes the old key back); null when it needs none.</summary>
    public string? UndoSecret { get; init; }
}
