using Microsoft.AspNetCore.Components;
using Superbridge.Web.Audit;

namespace Superbridge.Web.Components.Controls;

/// <summary>Audited commands: host, exit code, duration, the argv as a shell line, stdout/stderr on demand.</summary>
public partial class CommandList
{
    private readonly HashSet<(long, Stream)> _open = [];

    private enum Stream { Command, Stdout, Stderr }

    [Parameter, EditorRequired] public required IReadOnlyList<AuditEntry> Entries { get; set; }

    [Parameter] public bool ShowUser { get; set; }

    private bool IsOpen(long id, Stream stream) => _open.Contains((id, stream));

    private void Toggle(long id, Stream stream)
    {
        if (!_open.Remove((id, stream))) _open.Add((id, stream));
    }

    private static string LineCount(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n').Length;
        return lines == 1 ? "1 line" : $"{lines} lines";
    }
}
