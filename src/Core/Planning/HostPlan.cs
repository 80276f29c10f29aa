using System.Collections.Immutable;
using System.Text;
using Superbridge.Core.Model;

namespace Superbridge.Core.Planning;

/// <summary>The ordered steps one host must run.</summary>
public sealed record HostPlan(HostId Host, ImmutableArray<PlanStep> Steps)
{
    /// <summary>A preview/export script: one commented, POSIX-quoted line per step; stops at the first failure.</summary>
    public string ToShellScript()
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n# Superbridge plan for ").Append(Host.Value).Append('\n').Append("set -e\n");
        foreach (var step in Steps)
        {
            sb.Append("# ").Append(step.Description.Replace('\n', ' ')).Append('\n');
            if (step.Check is { } check) sb.Append(check.ToShellLine()).Append(" || ");
            sb.Append(step.Do.ToShellLine()).Append('\n');
        }
        return sb.ToString();
    }
}
