namespace Superbridge.Web.Ipsec;

/// <summary>
/// The IPsec SAs of one protected pair of hosts (a gretap or L2TP link, or two VXLAN peers) as the two hosts' last
/// inventories saw them: the swanctl connection both ends name the same, and each end's view.
/// </summary>
public sealed record LinkSa(string A, string B, string Connection, LinkSaEnd EndA, LinkSaEnd EndB);

/// <summary>
/// One end of a <see cref="LinkSa"/>. <see cref="State"/>: "established" (the IKE SA is up and every child of the
/// connection has an installed CHILD SA), "not-established", or "unknown" (the host has not been read since the
/// dashboard started: every other value is null). Counters add up the connection's CHILD SAs; times are absolute,
/// from the seconds swanctl printed and <see cref="ReadAt"/>, when the inventory was read.
/// </summary>
public sealed record LinkSaEnd(
    string Host,
    string State,
    bool Established,
    string? IkeState,
    DateTimeOffset? EstablishedAt,
    DateTimeOffset? NextRekeyAt,
    long? BytesIn,
    long? PacketsIn,
    long? BytesOut,
    long? PacketsOut,
    DateTimeOffset? ReadAt)
{
    public static LinkSaEnd Unknown(string host) => new(host, "unknown", false, null, null, null, null, null, null, null, null);
}
