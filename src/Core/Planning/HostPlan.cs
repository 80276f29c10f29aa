using System.Collections.Immutable;
using Superbridge.Core.Model;

namespace Superbridge.Core.Planning;

/// <summary>The ordered steps one host must run.</summary>
public sealed record HostPlan(HostId Host, ImmutableArray<PlanStep> Steps);
