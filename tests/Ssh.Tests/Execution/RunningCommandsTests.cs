using Superbridge.Core.Commands;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Execution;
using Superbridge.Ssh.Tests.Support;

namespace Superbridge.Ssh.Tests.Execution;

[Collection(SshdCollection.Name)]
public sealed class RunningCommandsTests(SshdFixture sshd)
{
    private readonly TestHosts _hosts = new(sshd);

    public static TheoryData<string> Logins => new() { "root", "sudo" };

    private HostTarget Login(string login) => login == "root" ? _hosts.Root() : _hosts.Operator();

    [Fact]
    public async Task A_script_is_sent_with_its_keys_resolved_and_audited_with_the_placeholders()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());
        var script = $"export K={PosixShell.Quote(SecretPlaceholders.For("lan.0a1b2c3d"))}\nprintf '%s\\n' \"$K\"\n";

        var result = await session.RunScriptAsync(script, ScriptDelivery.StandardInput,
            new RunOptions { SecretValues = new Dictionary<string, string> { ["lan.0a1b2c3d"] = "0sc2VjcmV0" } });

        Assert.Equal("0sc2VjcmV0\n", result.StandardOutput);
        var entry = _hosts.Audit.Entries.Single();
        Assert.Equal(script, entry.Script);
        Assert.DoesNotContain("0sc2VjcmV0", entry.Script, StringComparison.Ordinal);
        Assert.DoesNotContain(entry.Argv, w => w.Contains("0sc2VjcmV0", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Logins))]
    public async Task Hostile_arguments_arrive_byte_exact(string login)
    {
        string[] hostile =
        [
            "it's", "$(touch /tmp/sbssh-pwned)", "`id`", "a; rm -rf /", "two\nlines", "  spaced  out ", "",
            "ünïcødé €uro 😀", "\"dq\" \\back\\slash", "*", "~", "-n", "--", "$HOME", "x=1", "'\\''", "\t",
        ];
        await using var session = await _hosts.Connector().ConnectAsync(Login(login));

        var result = await session.RunAsync(Command.Of(["printf", "%s\\0", .. hostile]));

        Assert.Equal(hostile, result.StandardOutput.Split('\0')[..^1]);
        Assert.False(File.Exists("/tmp/sbssh-pwned"));
    }

    [Fact]
    public async Task A_non_zero_exit_throws_with_the_exit_code_and_stderr()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());

        var e = await Assert.ThrowsAsync<CommandFailedException>(() => session.RunAsync(Command.Of("sh", "-c", "echo broken >&2; exit 3")));

        Assert.Equal(3, e.Result.ExitCode);
        Assert.Equal("broken\n", e.Result.StandardError);
        Assert.Equal("`timeout -k 5 20 sh -c 'echo broken >&2; exit 3' </dev/null` on root@198.51.100.202:22 exited with code 3: broken", e.Message);
    }

    [Fact]
    public async Task A_non_zero_exit_is_returned_when_the_caller_opts_out()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());

        var result = await session.RunAsync(Command.Of("test", "-e", "/nonexistent"), RunOptions.Check);

        Assert.Equal(1, result.ExitCode);
        Assert.False(result.IsSuccess);
    }

    [Theory]
    [InlineData(ScriptDelivery.StandardInput, "timeout -k 5 20 sh -s")]
    [InlineData(ScriptDelivery.Argument, "timeout -k 5 20 sh -c 'set -e\nx='\\''quoted'\\''\necho \"$x\" \"$(id -u)\"\ncat\n' </dev/null")]
    public async Task A_script_runs_with_sh_and_stdin_is_closed(ScriptDelivery delivery, string expectedLine)
    {
        const string script = "set -e\nx='quoted'\necho \"$x\" \"$(id -u)\"\ncat\n";
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Operator());

        var result = await session.RunScriptAsync(script, delivery);

        Assert.Equal("quoted 0\n", result.StandardOutput);
        Assert.Equal("sudo -n -- " + expectedLine, result.CommandLine);
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_stopped_on_the_host_and_reported_as_Timeout()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());

        var e = await Assert.ThrowsAsync<SshFailureException>(() =>
            session.RunAsync(Command.Of("sleep", "3"), new RunOptions { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal(SshFailureReason.Timeout, e.Reason);
        Assert.Equal("`timeout -k 5 1 sleep 3 </dev/null` on root@198.51.100.202:22 did not finish within 1 s; the host's `timeout` stopped it (TERM, exit 124).", e.Message);
        Assert.Equal((AuditOutcome.TimedOut, (int?)124), (_hosts.Audit.Entries.Single().Outcome, _hosts.Audit.Entries.Single().ExitCode));
        Assert.Equal("ok\n", (await session.RunAsync(Command.Of("echo", "ok"))).StandardOutput);
    }

    [Fact]
    public async Task A_cancelled_command_is_abandoned_and_audited_as_cancelled()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.RunAsync(Command.Of("sleep", "3"), cancellationToken: cancel.Token));

        Assert.Equal(AuditOutcome.Cancelled, _hosts.Audit.Entries.Single().Outcome);
        Assert.Equal("ok\n", (await session.RunAsync(Command.Of("echo", "ok"))).StandardOutput);
    }

    [Fact]
    public async Task Results_and_audit_entries_carry_the_injected_clock_and_everything_that_ran()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await using var session = await _hosts.Connector(time: new FixedWallClock(now)).ConnectAsync(_hosts.Operator());

        var result = await session.RunAsync(Command.Of("sh", "-c", "echo out; echo err >&2"));

        Assert.Equal(now, result.StartTime);
        Assert.Equal(result.StartTime + result.RunTime, result.ExitTime);
        Assert.True(result.RunTime > TimeSpan.Zero);
        var entries = _hosts.Audit.Entries;
        Assert.Equal(["sudo -n -- timeout -k 5 20 true </dev/null", "sudo -n -- timeout -k 5 20 sh -c 'echo out; echo err >&2' </dev/null"], entries.Select(e => e.CommandLine));
        var entry = entries[1];
        Assert.Equal("op", entry.HostId.Value);
        Assert.Equal(SshdFixture.OperatorUser, entry.Username);
        Assert.True(entry.UsedSudo);
        Assert.Equal(now, entry.StartTime);
        Assert.Equal<string>(["sh", "-c", "echo out; echo err >&2"], entry.Argv);
        Assert.Equal(AuditOutcome.Exited, entry.Outcome);
        Assert.Equal(0, entry.ExitCode);
        Assert.Equal("out\n", entry.StandardOutput);
        Assert.Equal("err\n", entry.StandardError);
        Assert.Equal(result.RunTime, entry.Duration);
    }

    [Fact]
    public async Task Commands_run_concurrently_on_one_session()
    {
        await using var session = await _hosts.Connector().ConnectAsync(_hosts.Root());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => session.RunAsync(Command.Of("sh", "-c", $"sleep 1; echo {i}"))));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"{i}\n"), results.Select(r => r.StandardOutput));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
    }
}
