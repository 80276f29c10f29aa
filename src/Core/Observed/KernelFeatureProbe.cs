using System.Collections.Immutable;

namespace Superbridge.Core.Observed;

/// <summary>One "feature NAME ANSWER EVIDENCE" line of the kernel feature probe.</summary>
/// <param name="Answer">"yes", "no" or "unknown" (the probe found no way to tell).</param>
/// <param name="Evidence">How the probe decided: loaded, module, builtin, config-builtin, config-unset, command, ...</param>
public sealed record KernelFeatureLine(string Feature, string Answer, string Evidence)
{
    public bool Available => Answer == "yes";
}

/// <summary>The parsed probe: the features as the planner needs them, plus every line for the dashboard.</summary>
public sealed record KernelFeatureProbe(KernelFeatures Features, ImmutableArray<KernelFeatureLine> Lines);
