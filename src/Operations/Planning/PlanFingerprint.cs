using System.Security.Cryptography;
using System.Text;
using Superbridge.Core.Planning;

namespace Superbridge.Operations;

/// <summary>
/// Names a plan by its exact commands: a preview carries it, and an apply that sends it runs only that plan (a plan
/// that changed since is refused and shown again).
/// </summary>
public static class PlanFingerprint
{
    public static string Of(SegmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append(plan.Segment).Append('\n').Append(plan.Mtu).Append('\n');
        foreach (var host in plan.Hosts)
        {
            text.Append("host ").Append(host.Host.Value).Append('\n');
            foreach (var step in host.Steps)
            {
                text.Append(step.Id).Append('\n')
                    .Append(step.Do.ToShellLine()).Append('\n')
                    .Append(step.Undo?.ToShellLine() ?? "-").Append('\n')
                    .Append(step.Check?.ToShellLine() ?? "-").Append('\n');
            }
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
