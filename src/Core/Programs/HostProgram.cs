using System.Globalization;
using System.Text;
using Superbridge.Core.Commands;
using Superbridge.Core.Planning;

namespace Superbridge.Core.Programs;

/// <summary>Which of a host plan's programs: set up, or roll back.</summary>
public enum ProgramPhase { Apply, Undo }

/// <summary>
/// A host's part of a plan as ONE POSIX <c>sh</c> program per phase, meant to be sent on stdin to <c>sh -s</c>
/// (bash, dash and busybox ash all run it). The text returned is both the preview/download and what runs.
/// <para>
/// The program prints one marker line per step as it goes (see <see cref="ProgramMarkers"/> for the format)
/// and ends with <c>SBEND &lt;status&gt;</c>. No <c>SBEND</c> line means the program did not get to its end
/// (connection cut, killed): the last marker is then the last step known to have finished.
/// Status: <see cref="ProgramMarkers.StatusOk"/> (0), <see cref="ProgramMarkers.StatusFailed"/> (1: a step failed,
/// or an undo failed), <see cref="ProgramMarkers.StatusCannotRun"/> (125: no step ran;
/// the host lacks <c>mktemp</c> or <c>base64</c>, or no temp dir could be made; stderr says which).
/// </para>
/// <para>
/// How it runs, per step: every argv is quoted by <see cref="PosixShell"/>; every command reads stdin from
/// <c>/dev/null</c> (the script itself arrives on stdin); a check's output is discarded (apply, undo) and a
/// command's stdout/stderr go to files in a private <c>mktemp -d</c> directory (removed on exit, also on
/// INT, PIPE, TERM; a hangup is ignored, by the commands too, so a lost connection ends the program at its next
/// marker, never mid-step), of which the first <see cref="ProgramMarkers.OutputLimit"/> bytes are reported: a non-empty
/// file is encoded by one <c>base64</c> into a file the shell reads back (with <c>read</c>, no command
/// substitution) only as far as the limit. Durations come from <c>/proc/uptime</c> read by the shell (10 ms
/// resolution; 0 where it is missing). So no fork beyond the check and the command, but one <c>base64</c> per
/// non-empty output. The whole body is one function called on the last line, in braces, so a program cut short
/// anywhere in transit runs nothing (the shell finds the function or the call unfinished).
/// </para>
/// <para>
/// Rendering details that keep the argv meaning "run this program": a check built by <see cref="Command.Not"/>
/// (<c>sh -c '! "$@"' sh …</c>) runs as <c>! …</c> in the program itself (same result, one fork and exec
/// fewer); an argv[0] that is a shell builtin able to change the program's own state (<c>exit</c>, <c>cd</c>,
/// <c>set</c>, <c>eval</c>, <c>exec</c>…) runs in a subshell; a name like the program's helpers (<c>sb_…</c>) runs through
/// <c>command</c>, which skips shell functions; an
/// argv[0] that is a reserved word or contains <c>=</c> is quoted so it stays a command name.
/// </para>
/// </summary>
public static class HostProgram
{
    /// <summary>
    /// Apply: each step in order: check (if any) exit 0 → <c>skipped</c>; else run Do → <c>succeeded</c> (exit 0)
    /// or <c>failed</c>, which ends the program with status 1. Steps without a check just run Do.
    /// </summary>
    public static string Apply(HostPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var body = new StringBuilder();
        ExportSecrets(body, plan.Steps.Select(s => s.Secret));
        for (var i = 0; i < plan.Steps.Length; i++)
        {
            var step = plan.Steps[i];
            var mark = MarkArgs(i, step.Id);
            StepComment(body, i, step);
            body.Append("\tsb_go || return ").Append(Stopped).Append('\n');
            body.Append("\tsb_start\n");
            if (step.Check is { } check)
            {
                body.Append("\tif ").Append(Condition(check)).Append(Quiet).Append("; then\n");
                body.Append("\t\tsb_note ").Append(mark).Append(" skipped 0\n");
                body.Append("\telse\n");
                body.Append("\t\t").Append(Render(step.Do)).Append(Captured).Append('\n');
                body.Append("\t\tsb_ran ").Append(mark).Append(" $? || return 1\n");
                body.Append("\tfi\n");
            }
            else
            {
                body.Append('\t').Append(Render(step.Do)).Append(Captured).Append('\n');
                body.Append("\tsb_ran ").Append(mark).Append(" $? || return 1\n");
            }
        }
        body.Append("\treturn 0\n");
        return Program(ProgramPhase.Apply, plan, plan.Steps.Length,
            "Each step: its check runs first; exit 0 means already done (skipped). Otherwise its command runs (succeeded or failed).\n" +
            "The first failure ends the program (status 1); later steps do not run. A file named stop in the directory of its\n" +
            "SBDIR line stops it before its next step (status 3).", body);
    }

    /// <summary>
    /// Undo, for a rollback: the given steps (indexes into <c>plan.Steps</c>, in the order to undo them: the
    /// caller passes completed steps reversed). A step without Undo → <c>nothing-to-undo</c>. With a Check, the
    /// step counts as already undone when the check fails (<c>Command.Not(check)</c> exits 0) →
    /// <c>already-undone</c>; otherwise Undo runs → <c>undone</c> or <c>undo-failed</c>, and the program goes on with
    /// the next step. Status 0 only if no undo failed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is not a step of the plan.</exception>
    /// <exception cref="ArgumentException">An index is listed twice.</exception>
    public static string Undo(HostPlan plan, IReadOnlyList<int> steps)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        var seen = new HashSet<int>();
        foreach (var i in steps)
        {
            if (i < 0 || i >= plan.Steps.Length)
                throw new ArgumentOutOfRangeException(nameof(steps), i, $"Step {i} is not a step of the plan ({plan.Steps.Length} steps).");
            if (!seen.Add(i)) throw new ArgumentException($"Step {i} is listed twice.", nameof(steps));
        }

        var body = new StringBuilder();
        ExportSecrets(body, steps.Select(i => plan.Steps[i].UndoSecret));
        body.Append("\tsb_failed=0\n");
        foreach (var i in steps)
        {
            var step = plan.Steps[i];
            var mark = MarkArgs(i, step.Id);
            StepComment(body, i, step);
            if (step.Undo is not { } undo)
            {
                body.Append("\tprintf 'SBSTEP %s %s nothing-to-undo - 0 - -\\n' ").Append(mark).Append(" || exit 141\n");
                continue;
            }
            body.Append("\tsb_start\n");
            if (step.Check is { } check)
            {
                // Command.Not(check) exiting 0 is the check failing: written as the check itself, one fork fewer.
                body.Append("\tif ").Append(Condition(check)).Append(Quiet).Append("; then\n");
                body.Append("\t\t").Append(Render(undo)).Append(Captured).Append('\n');
                body.Append("\t\tsb_undid ").Append(mark).Append(" $?\n");
                body.Append("\telse\n");
                body.Append("\t\tsb_note ").Append(mark).Append(" already-undone $?\n");
                body.Append("\tfi\n");
            }
            else
            {
                body.Append('\t').Append(Render(undo)).Append(Captured).Append('\n');
                body.Append("\tsb_undid ").Append(mark).Append(" $?\n");
            }
        }
        body.Append("\treturn \"$sb_failed\"\n");
        return Program(ProgramPhase.Undo, plan, steps.Count,
            "Rolls back the listed steps in the order listed. Each step: no undo command → nothing-to-undo; its check failing\n" +
            "means already undone (already-undone); otherwise its undo runs (undone or undo-failed) and the program goes on.\n" +
            "Status 1 if any undo failed.", body);
    }

    /// <summary>Keys reach the commands that need them through the environment, never through an argv (see PlanStep.Secret).</summary>
    private static void ExportSecrets(StringBuilder body, IEnumerable<string?> secrets)
    {
        foreach (var name in secrets.OfType<string>().Distinct(StringComparer.Ordinal))
            body.Append("\texport ").Append(SecretPlaceholders.Variable(name)).Append('=').Append(PosixShell.Quote(SecretPlaceholders.For(name))).Append('\n');
    }

    private static readonly string Stopped = ProgramMarkers.StatusStopped.ToString(CultureInfo.InvariantCulture);

    internal const string Quiet = " </dev/null >/dev/null 2>&1";
    internal const string Captured = " </dev/null >\"$sb_o\" 2>\"$sb_e\"";

    private static string MarkArgs(int index, string id) =>
        index.ToString(CultureInfo.InvariantCulture) + " " + PosixShell.Quote(ProgramMarkers.EncodeId(id));

    private static void StepComment(StringBuilder body, int index, PlanStep step) =>
        body.Append("\n\t# ").Append(index.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(OneLine(step.Id))
            .Append(": ").Append(OneLine(step.Description)).Append('\n');

    /// <summary>Comment text: control characters (a newline would end the comment) become spaces.</summary>
    private static string OneLine(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        return sb.ToString();
    }

    /// <summary>A check as an if-condition: <c>Command.Not</c> wrappers become <c>!</c>, any depth.</summary>
    private static string Condition(Command check)
    {
        var negated = false;
        while (TryUnwrapNot(check, out var inner))
        {
            negated = !negated;
            check = inner;
        }
        return (negated ? "! " : "") + Render(check);
    }

    private static bool TryUnwrapNot(Command command, out Command inner)
    {
        var argv = command.Argv;
        if (argv.Length >= 5 && argv[0] == "sh" && argv[1] == "-c" && argv[2] == "! \"$@\"" && argv[3] == "sh")
        {
            inner = new Command(argv[4..]);
            return true;
        }
        inner = command;
        return false;
    }

    /// <summary>Builtins that would act on the program itself rather than run something (POSIX special builtins, and the
    /// regular and bash/ash builtins that change the shell's state). Such an argv runs in a subshell.</summary>
    private static readonly HashSet<string> StateBuiltins = new(StringComparer.Ordinal)
    {
        ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift", "times", "trap", "unset",
        "alias", "unalias", "bg", "fg", "jobs", "cd", "command", "getopts", "hash", "read", "umask", "ulimit", "wait", "fc",
        "builtin", "source", "declare", "typeset", "local", "let", "shopt", "enable", "pushd", "popd", "dirs", "disown",
        "suspend", "logout", "mapfile", "readarray", "caller", "complete", "compgen", "compopt", "bind", "history",
    };

    /// <summary>Words the shell parses as syntax when they come first (quoted, they are plain command names).</summary>
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "function", "select", "time",
    };

    /// <summary>The argv as a shell command: each word by <see cref="PosixShell.Quote"/>, argv[0] kept a command name.</summary>
    internal static string Render(Command command)
    {
        var first = command.Argv[0];
        var name = PosixShell.Quote(first);
        if (name == first && (first.Contains('=') || ReservedWords.Contains(first))) name = "'" + first + "'";
        var sb = new StringBuilder(name);
        for (var i = 1; i < command.Argv.Length; i++) sb.Append(' ').Append(PosixShell.Quote(command.Argv[i]));
        var line = sb.ToString();
        if (StateBuiltins.Contains(first)) return "( " + line + " )";
        // `command` skips shell functions: the program's own helpers are never what a step means.
        return first.StartsWith("sb_", StringComparison.Ordinal) ? "command " + line : line;
    }

    private static string Program(ProgramPhase phase, HostPlan plan, int count, string what, StringBuilder body)
    {
        var limit = (ProgramMarkers.OutputLimit + 1).ToString(CultureInfo.InvariantCulture);
        var chars = ProgramMarkers.CutBase64Length.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(Prelude.Length + body.Length + 1024);
        sb.Append("#!/bin/sh\n");
        sb.Append("# Superbridge ").Append(PhaseWord(phase)).Append(" program for host ").Append(OneLine(plan.Host.Value))
            .Append(": ").Append(count.ToString(CultureInfo.InvariantCulture)).Append(count == 1 ? " step.\n" : " steps.\n");
        sb.Append("# Run it as: sh -s < this-file (bash, dash and busybox sh run it).\n");
        foreach (var line in what.Split('\n')) sb.Append("# ").Append(line).Append('\n');
        sb.Append(Prelude.Replace("@LIMIT@", limit, StringComparison.Ordinal).Replace("@CHARS@", chars, StringComparison.Ordinal));
        sb.Append("sb_main() {\n");
        sb.Append(Setup);
        sb.Append(body);
        sb.Append("}\n");
        // In braces: a prefix of this line is a syntax error, so a program cut anywhere in transit runs nothing.
        sb.Append("{ sb_main; sb_end $?; }\n");
        return sb.ToString();
    }

    private static string PhaseWord(ProgramPhase phase) => phase switch
    {
        ProgramPhase.Apply => "apply",
        ProgramPhase.Undo => "undo",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    private const string Prelude = """
        #
        # Prints one line per step as it goes, and SBEND <status> when it gets to its end:
        #   SBSTEP <index> <step-id> <outcome> <exit-code|-> <duration-ms> <stdout|-> <stderr|->
        # <step-id> is percent-encoded; <stdout> and <stderr> are the base64 of the command's first bytes, - when empty
        # (a check's output is not kept).
        # Every command reads /dev/null: this program itself may be arriving on stdin.
        # When a marker cannot be written (the reader is gone) the program stops there (status 141).

        # Milliseconds since boot in sb_ms, from /proc/uptime (centiseconds) without a fork; 0 without it.
        sb_clock() {
        	sb_up=
        	{ read -r sb_up sb_idle </proc/uptime; } 2>/dev/null
        	case $sb_up in
        	*[!0-9.]* | *.*.* | .*) sb_ms=0 ;;
        	*.[0-9][0-9]) sb_cs=${sb_up#*.}; sb_ms=$(( ${sb_up%.*} * 1000 + ${sb_cs#0} * 10 )) ;;
        	*) sb_ms=0 ;;
        	esac
        }

        sb_start() { sb_clock; sb_t0=$sb_ms; }

        # Whether to go on: no stop requested (apply checks it before each step; a builtin test, no process).
        sb_go() { [ ! -e "$sb_dir/stop" ]; }

        # The base64 of file $1 on one line in sb_b, read only as far as the first @LIMIT@ bytes; - when the file is empty.
        sb_b64() {
        	sb_b=-
        	[ -s "$1" ] || return 0
        	base64 <"$1" >"$sb_x" || return 0
        	sb_b=
        	while read -r sb_l || [ -n "$sb_l" ]; do
        		sb_b=$sb_b$sb_l
        		[ "${#sb_b}" -lt @CHARS@ ] || break
        	done <"$sb_x"
        	[ -n "$sb_b" ] || sb_b=-
        }

        # sb_note INDEX ID OUTCOME EXIT: a marker without output.
        sb_note() {
        	sb_clock
        	printf 'SBSTEP %s %s %s %s %s - -\n' "$1" "$2" "$3" "$4" $((sb_ms - sb_t0)) || exit 141
        }

        # sb_mark INDEX ID OUTCOME EXIT: a marker with the command's output.
        sb_mark() {
        	sb_clock
        	sb_b64 "$sb_o"
        	sb_ob=$sb_b
        	sb_b64 "$sb_e"
        	printf 'SBSTEP %s %s %s %s %s %s %s\n' "$1" "$2" "$3" "$4" $((sb_ms - sb_t0)) "$sb_ob" "$sb_b" || exit 141
        }

        # sb_ran INDEX ID EXIT: a step's command ran; fails when it did.
        sb_ran() {
        	if [ "$3" -eq 0 ]; then sb_mark "$1" "$2" succeeded 0; else sb_mark "$1" "$2" failed "$3"; return 1; fi
        }

        # sb_undid INDEX ID EXIT: an undo command ran; a failure is noted and the rollback goes on.
        sb_undid() {
        	if [ "$3" -eq 0 ]; then sb_mark "$1" "$2" undone 0; else sb_mark "$1" "$2" undo-failed "$3"; sb_failed=1; fi
        }

        sb_end() {
        	printf 'SBEND %s\n' "$1"
        	exit "$1"
        }


        """;

    private const string Setup = """
        	for sb_tool in mktemp base64; do
        		command -v "$sb_tool" >/dev/null 2>&1 || { printf 'superbridge: %s is missing on this host\n' "$sb_tool" >&2; return 125; }
        	done
        	sb_dir=$(mktemp -d "${TMPDIR:-/tmp}/superbridge.XXXXXX") || return 125
        	trap 'rm -rf "$sb_dir"' EXIT
        	# A hangup (the dashboard's connection gone, passed on by `timeout` to the whole group) is ignored, by the
        	# commands too: the step in progress finishes, and the next marker's write ends the program (PIPE).
        	trap '' HUP
        	trap 'exit 130' INT
        	trap 'exit 141' PIPE
        	trap 'exit 143' TERM
        	sb_o=$sb_dir/out
        	sb_e=$sb_dir/err
        	sb_x=$sb_dir/b64
        	printf 'SBDIR %s\n' "$sb_dir" || exit 141

        """;
}
