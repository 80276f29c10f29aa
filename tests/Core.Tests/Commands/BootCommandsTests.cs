using System.Diagnostics;
using Superbridge.Core.Commands;

namespace Superbridge.Core.Tests.Commands;

/// <summary>The boot file commands run for real on this machine, on files in a temporary directory.</summary>
public sealed class BootCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-boot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Run(Command command, string? operation = null)
    {
        var start = new ProcessStartInfo(command.Argv[0]) { RedirectStandardError = true };
        foreach (var word in command.Argv.Skip(1)) start.ArgumentList.Add(word);
        if (operation is not null) start.Environment[BootCommands.OperationVariable] = operation;
        else start.Environment.Remove(BootCommands.OperationVariable);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public void Write_puts_the_segment_and_the_operation_in_the_first_line_and_the_body_after_it()
    {
        var path = Path.Combine(_dir, "sub", "lan.apply.sh");
        const string body = "#!/bin/sh\necho 'it''s \"quoted\" $HOME'\n";
        Assert.Equal(0, Run(BootCommands.Write(path, BootCommands.Header("boot program", "lan"), body), operation: "42"));

        Assert.Equal("# Superbridge boot program of segment lan; edits are drift. Written by operation 42\n" + body, File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.sbnew"));
    }

    [Fact]
    public void Holds_compares_the_body_whatever_operation_wrote_the_header()
    {
        var path = Path.Combine(_dir, "unit.service");
        const string body = "[Unit]\nDescription=x\n\n";
        Assert.NotEqual(0, Run(BootCommands.Holds(path, body)));
        Run(BootCommands.Write(path, BootCommands.Header("systemd unit", "lan"), body));
        Assert.StartsWith("# Superbridge systemd unit of segment lan; edits are drift. Written by operation unknown\n", File.ReadAllText(path));

        Assert.Equal(0, Run(BootCommands.Holds(path, body)));
        Assert.NotEqual(0, Run(BootCommands.Holds(path, body + "\n")));
        Assert.NotEqual(0, Run(BootCommands.Holds(path, body.TrimEnd('\n'))));
        File.AppendAllText(path, "# edited\n");
        Assert.NotEqual(0, Run(BootCommands.Holds(path, body)));
    }

    [Fact]
    public void Remove_takes_the_file_and_is_safe_to_repeat()
    {
        var path = Path.Combine(_dir, "90-superbridge-lan.conf");
        Run(BootCommands.Write(path, "# h", BootCommands.ForwardingDropIn));
        Assert.Equal(0, Run(BootCommands.Remove(path)));
        Assert.False(File.Exists(path));
        Assert.Equal(0, Run(BootCommands.Remove(path)));
        Assert.True(Directory.Exists(_dir));
    }
}
