using Microsoft.AspNetCore.Components;
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

    /// <summary>The program text of an entry that ran a host program (the sink stores it as the argv's last word).</summary>
    private static string? Program(AuditEntry entry) =>
        entry.Argv.Length > 0 && ProgramTranscript.IsProgram(entry.Argv[^1]) ? entry.Argv[^1] : null;

    private static int StepCount(string program) => ProgramTranscript.Read(program, "").Length;

    private static string LineCount(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n').Length;
        return lines == 1 ? "1 line" : $"{lines} lines";
    }
}
