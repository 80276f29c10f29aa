using Microsoft.AspNetCore.Components;
using System.Collections.Immutable;
using Superbridge.Core.Programs;
using Superbridge.Web.Audit;

namespace Superbridge.Web.Components.Controls;

/// <summary>
/// Audited commands: host, exit code, duration, the argv as a shell line, stdout/stderr on demand; a host program (one
/// entry per host and phase) also opens into its steps, each command with its outcome.
/// </summary>
public partial class CommandList
{
    private readonly HashSet<(long, Stream)> _open = [];

    private enum Stream { Command, Stdout, Stderr, Steps }

    [Parameter, EditorRequired] public required IReadOnlyList<AuditEntry> Entries { get; set; }

    [Parameter] public bool ShowUser { get; set; }

    private bool IsOpen(long id, Stream stream) => _open.Contains((id, stream));

    private void Toggle(long id, Stream stream)
    {
        if (!_open.Remove((id, stream))) _open.Add((id, stream));
    }

    private readonly Dictionary<long, ImmutableArray<ProgramStepRun>> _steps = [];

    /// <summary>
    /// The steps of an entry that ran a host program (the sink stores the program as the argv's last word); null for
    /// any other command. Read once per entry: a page re-renders often and a program can be tens of kilobytes.
    /// </summary>
    private ImmutableArray<ProgramStepRun>? Steps(AuditEntry entry)
    {
        if (entry.Argv.Length == 0 || !ProgramTranscript.IsProgram(entry.Argv[^1])) return null;
        if (!_steps.TryGetValue(entry.Id, out var steps)) _steps[entry.Id] = steps = ProgramTranscript.Read(entry.Argv[^1], entry.Stdout);
        return steps;
    }

    private static string LineCount(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n').Length;
        return lines == 1 ? "1 line" : $"{lines} lines";
    }
}
