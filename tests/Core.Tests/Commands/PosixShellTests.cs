using System.Diagnostics;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Tests.Commands;

public class PosixShellTests
{
    [Theory]
    [InlineData("superbr0", "superbr0")]
    [InlineData("10.0.2.1/24", "10.0.2.1/24")]
    [InlineData("--interface=superbr0", "--interface=superbr0")]
    [InlineData("a_b.c/d:e=f@g%h+i-j", "a_b.c/d:e=f@g%h+i-j")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("'", "''\\'''")]
    [InlineData("$(reboot)", "'$(reboot)'")]
    [InlineData("`id`", "'`id`'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("!", "'!'")]
    [InlineData("*", "'*'")]
    [InlineData("~root", "'~root'")]
    [InlineData("line\nbreak", "'line\nbreak'")]
    [InlineData("ünï", "'ünï'")]
    [InlineData("s/^lxc\\.net\\.0\\.link[[:space:]]*=.*$/lxc.net.0.link = br0/", "'s/^lxc\\.net\\.0\\.link[[:space:]]*=.*$/lxc.net.0.link = br0/'")]
    public void Quotes_only_what_needs_quoting(string word, string expected) =>
        Assert.Equal(expected, PosixShell.Quote(word));

    [Fact]
    public void Nul_is_rejected() =>
        Assert.Throws<ArgumentException>(() => PosixShell.Quote("a\0b"));

    [Fact]
    public void Join_quotes_each_word_and_separates_with_spaces() =>
        Assert.Equal("ip addr add 10.0.2.1/24 dev 'a b'", PosixShell.Join(["ip", "addr", "add", "10.0.2.1/24", "dev", "a b"]));

    public static TheoryData<string[]> Argvs => new()
    {
        new[] { "plain", "words" },
        new[] { "", "empty", "" },
        new[] { "it's", "'", "''", "'\\''" },
        new[] { "$(touch /tmp/pwned)", "`id`", "${HOME}", "$HOME", "a;b", "a&&b", "a|b", ">x", "<y" },
        new[] { "new\nline", "tab\tchar", "cr\rret", " lead", "trail " },
        new[] { "ünïcödé", "日本語", "emoji 🚀", "\u00a0nbsp" },
        new[] { "back\\slash", "\\", "\"dq\"", "glob*?[a]", "~", "#comment", "!bang", "{a,b}" },
        new[] { new string('x', 10_000), new string('\'', 500) },
        new[] { "sh", "-c", "! \"$@\"", "sh", "ip", "link", "show", "dev", "superbr0" },
    };

    [Theory]
    [MemberData(nameof(Argvs))]
    public void Bash_parses_the_rendered_line_back_into_exactly_the_argv(string[] argv)
    {
        var parsed = ParseWithBash(PosixShell.Join(argv));
        Assert.Equal(argv, parsed);
    }

    [Fact]
    public void Every_byte_except_nul_survives_a_round_trip_through_bash()
    {
        var all = new string(Enumerable.Range(1, 255).Select(i => (char)i).ToArray());
        Assert.Equal([all], ParseWithBash(PosixShell.Quote(all)));
    }

    /// <summary>Runs real bash: <c>bash -c 'printf "%s\0" "$@"' x RENDERED</c>, and splits the NUL-separated output.</summary>
    internal static string[] ParseWithBash(string rendered)
    {
        var script = "set -- " + rendered + "\nprintf '%s\\0' \"$@\"";
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        Assert.EndsWith("\0", output);
        return output[..^1].Split('\0');
    }
}
