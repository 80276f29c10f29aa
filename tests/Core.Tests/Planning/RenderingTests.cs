using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Core.Planning;
using Superbridge.Core.Tests.Support;

namespace Superbridge.Core.Tests.Planning;

/// <summary>What the Web layer shows and exports: shell lines real bash reads back as the exact argv.</summary>
public class RenderingTests
{
    private static SegmentPlan AnyPlan(Transport transport)
    {
        var hosts = Given.Hosts(Given.Host(1), Given.Host(2) with { LxcPath = "/srv/lxc" }, Given.Host(3));
        var observed = Given.ObservedAll(3);
        observed["h2"] = Given.Observed("h2", Given.Container("web"));
        var spec = Given.Segment(transport, 3) with { Attachments = [new AttachmentSpec("h2", "web")], Stp = true };
        var segment = Given.Allocated(spec, hosts, observed: observed);
        return SegmentPlanner.Plan(segment, hosts, observed).Value;
    }

    [Theory]
    [InlineData(Transport.Gretap)]
    [InlineData(Transport.L2tpv3Udp)]
    [InlineData(Transport.L2tpv3Ip)]
    [InlineData(Transport.Vxlan)]
    public void Every_rendered_command_of_a_plan_parses_back_to_its_argv_in_bash(Transport transport)
    {
        var commands = AnyPlan(transport).Hosts.SelectMany(h => h.Steps)
            .SelectMany(s => new[] { s.Do, s.Undo, s.Check }).OfType<Command>().ToList();
        var script = new StringBuilder();
        foreach (var command in commands) script.Append("printf '%s\\0' ").Append(command.ToShellLine()).Append("; printf '\\1'\n");
        var records = RunBash(script.ToString()).Split('\u0001')[..^1];
        Assert.Equal(commands.Count, records.Length);
        for (var i = 0; i < commands.Count; i++)
            Assert.Equal(commands[i].Words(), records[i][..^1].Split('\0'));
    }

    [Fact]
    public void A_plan_serialises_to_json_with_argv_lists()
    {
        var plan = AnyPlan(Transport.Vxlan);
        var json = JsonSerializer.Serialize(plan, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Contains("\"do\":{\"argv\":[\"modprobe\",\"vxlan\"]}", json);
        var back = JsonSerializer.Deserialize<SegmentPlan>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(plan.Hosts.SelectMany(h => h.Steps), back.Hosts.SelectMany(h => h.Steps));
    }

    private static string RunBash(string script, string? flag = null)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        if (flag is not null) start.ArgumentList.Add(flag);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
