using System.Diagnostics;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Tests.Commands;

/// <summary>The key file command run for real, with a stand-in swanctl on the PATH that records how it was called.</summary>
public sealed class SwanctlCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-swanctl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_key_file_is_written_mode_0600_from_the_environment_and_the_credentials_are_loaded()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var calls = Path.Combine(_dir, "calls");
        File.WriteAllText(Path.Combine(bin, "swanctl"), $"#!/bin/sh\necho \"$*\" >> {calls}\n");
        File.SetUnixFileMode(Path.Combine(bin, "swanctl"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var path = Path.Combine(_dir, "conf.d", "superbridge-lan-0a1b2c3d.secrets.conf");
        var command = SwanctlCommands.WriteSecrets(path, BootCommands.Header("IPsec key", "lan"), "lan-0a1b2c3d", "198.51.100.1", "198.51.100.2");

        var start = new ProcessStartInfo(command.Argv[0]) { RedirectStandardError = true };
        foreach (var word in command.Argv.Skip(1)) start.ArgumentList.Add(word);
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        start.Environment[SecretPlaceholders.Variable("lan-0a1b2c3d")] = "0sS2V5S2V5S2V5";
        start.Environment[BootCommands.OperationVariable] = "7";
        using (var process = Process.Start(start)!)
        {
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(
            "# Superbridge IPsec key of segment lan; edits are drift. Written by operation 7\n" +
            "secrets {\n\tike-lan-0a1b2c3d {\n\t\tid-local = 198.51.100.1\n\t\tid-remote = 198.51.100.2\n\t\tsecret = 0sS2V5S2V5S2V5\n\t}\n}\n",
            File.ReadAllText(path));
        Assert.Equal("--load-creds --noprompt\n", File.ReadAllText(calls));
        Assert.DoesNotContain(command.Argv, w => w.Contains("0sS2V5", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("lan-0a1b2c3d: IKEv2, no reauthentication, rekeying every 14400s\n", 0)]
    [InlineData("", 1)] // swanctl --load-conns exits 0 when it refused the file; charon has no such connection
    [InlineData("lan-0a1b2c3d-other: IKEv2, no reauthentication, rekeying every 14400s\n", 1)]
    public void Loading_a_connection_fails_unless_charon_lists_it_afterwards(string listed, int exitCode)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "swanctl"), "#!/bin/sh\n[ \"$1\" = --list-conns ] && printf '%s' \"$LISTED\"\nexit 0\n");
        File.SetUnixFileMode(Path.Combine(bin, "swanctl"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var start = new ProcessStartInfo("sh", ["-c", SwanctlCommands.LoadConnection("lan-0a1b2c3d")]);
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        start.Environment["LISTED"] = listed;

        using var process = Process.Start(start)!;
        process.WaitForExit();

        Assert.Equal(exitCode, process.ExitCode);
    }

    [Fact]
    public void Placeholders_resolve_only_with_a_value_for_each()
    {
        var text = "a=" + SecretPlaceholders.For("lan.1") + " b=" + SecretPlaceholders.For("lan.2") + " c=" + SecretPlaceholders.For("lan.1");
        Assert.Equal(["lan.1", "lan.2"], SecretPlaceholders.Names(text));
        Assert.Equal("a=0sA b=0sB c=0sA", SecretPlaceholders.Resolve(text, new Dictionary<string, string> { ["lan.1"] = "0sA", ["lan.2"] = "0sB" }));
        Assert.Throws<KeyNotFoundException>(() => SecretPlaceholders.Resolve(text, new Dictionary<string, string> { ["lan.1"] = "0sA" }));
        Assert.Throws<ArgumentException>(() => SecretPlaceholders.For("Bad Name"));
    }
}
