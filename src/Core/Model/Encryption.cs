using System.Text.Json.Serialization;

namespace Superbridge.Core.Model;

/// <summary>How a segment's tunnel packets cross the underlay. JSON uses the API wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Encryption>))]
public enum Encryption
{
    /// <summary>In clear, as the tunnels carry them.</summary>
    [JsonStringEnumMemberName("none")] None,
    /// <summary>ESP in transport mode between the two underlay addresses of every link (strongSwan, IKEv2).</summary>
    [JsonStringEnumMemberName("ipsec")] Ipsec,
}
