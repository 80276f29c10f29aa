using System.Collections.Immutable;
using Superbridge.Core.Commands;

namespace Superbridge.Web.Components.Controls;

/// <summary>An audited argv as the shell line that would run it, and a one-line preview when it is long.</summary>
public sealed record CommandLineText(string Full, string Preview)
{
    public const int PreviewLength = 160;

    public bool IsShortened => Full != Preview;

    public static CommandLineText Of(ImmutableArray<string> argv)
    {
        var full = argv.IsDefaultOrEmpty ? "" : PosixShell.Join(argv);
        var firstLine = full.Split('\n')[0];
        var preview = firstLine.Length > PreviewLength ? firstLine[..PreviewLength] + " …" : firstLine.Length < full.Length ? firstLine + " …" : full;
        return new CommandLineText(full, preview);
    }
}
