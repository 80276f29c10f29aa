using System.Collections.Immutable;

namespace Superbridge.Core.Commands;

/// <summary>
/// One program invocation as an argv. A value: describing it is separate from running it, and it is
/// kept as a list until the edge (<see cref="ToShellLine"/>), where <see cref="PosixShell"/> quotes it.
/// Equality compares the argv element by element.
/// </summary>
public sealed record Command
{
    public Command(ImmutableArray<string> argv)
    {
        if (argv.IsDefaultOrEmpty) throw new ArgumentException("A command needs a program.", nameof(argv));
        Argv = argv;
    }

    public ImmutableArray<string> Argv { get; }

    public static Command Of(params string[] argv) => new([.. argv]);

    /// <summary>Wraps a freshly built array without copying (plans hold tens of thousands of commands). The caller must not keep the array.</summary>
    internal static Command Own(params string[] argv) => new(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(argv));

    public string ToShellLine() => PosixShell.Join(Argv);

    public override string ToString() => ToShellLine();

    public bool Equals(Command? other) => other is not null && Argv.AsSpan().SequenceEqual(other.Argv.AsSpan());

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in Argv) hash.Add(word);
        return hash.ToHashCode();
    }

    /// <summary>
    /// A check that succeeds when <paramref name="check"/> fails: "already torn down" is "setup check says absent".
    /// The argv is passed positionally to sh, never spliced into the script.
    /// </summary>
    public static Command Not(Command check) => Own(["sh", "-c", "! \"$@\"", "sh", .. check.Argv]);
}
