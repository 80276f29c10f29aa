using System.Text.Json.Serialization;
using Superbridge.Core.Model;

namespace Superbridge.Core.Planning;

[JsonConverter(typeof(JsonStringEnumConverter<DriftKind>))]
public enum DriftKind
{
    /// <summary>Something the segment needs is absent (e.g. a bridge port, an fdb entry, dnsmasq).</summary>
    [JsonStringEnumMemberName("missing")] Missing,
    /// <summary>Something exists under our name but differs (e.g. wrong remote, VNI or MTU).</summary>
    [JsonStringEnumMemberName("mismatch")] Mismatch,
}

/// <summary>A difference between what the segment needs and what a host has, per host and device.</summary>
public sealed record Drift(HostId Host, string Device, DriftKind Kind, string Detail)
{
    public override string ToString() => $"{Host} {Device}: {Detail}";
}
