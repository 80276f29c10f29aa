using Superbridge.Operations;
using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Mtu;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;

namespace Superbridge.Web.Topology;

/// <summary>Whether the hosts have what the operator wants.</summary>
public enum SegmentState
{
    /// <summary>Never applied.</summary>
    NotApplied,
    /// <summary>Applied, then changed since.</summary>
    Pending,
    Applied,
}

/// <summary>One line of the Segments list.</summary>
public sealed record SegmentRow
{
    public required string Name { get; init; }
    public required Transport Transport { get; init; }
    public required string Bridge { get; init; }
    public required ImmutableArray<string> Members { get; init; }
    /// <summary>"h1 · 10.0.2.1/24", "h2 · external eth1", or null.</summary>
    public string? Router { get; init; }
    public required int Attachments { get; init; }
    public required int Mtu { get; init; }
    public required SegmentState State { get; init; }
    public required string Color { get; init; }
}

public sealed record MemberRow(string Host, string? Address, HostState State, bool IsRouter, ImmutableArray<string> Devices)
{
    /// <summary>Whether the host brings the segment back at boot (unknown until its first inventory).</summary>
    public PersistenceView Persistence { get; init; } = PersistenceView.Of(null);
}

public sealed record LinkRow(string A, string B, string DeviceA, string DeviceB, string Pairing);

/// <summary>How an attachment differs from what was applied: the next apply attaches or detaches it.</summary>
public enum AttachmentChange
{
    None,
    Attach,
    Detach,
}

public sealed record AttachmentRow(string Host, string Container, string? ContainerState, ImmutableArray<string> Ipv4, string? PreviousLink)
{
    public AttachmentChange Pending { get; init; }
}

/// <summary>The segment page: the wanted segment with what Core allocated, joined with the hosts' latest inventory.</summary>
public sealed record SegmentDetailView
{
    public required SegmentRow Summary { get; init; }
    public required SegmentRecord Record { get; init; }
    public uint? Vni { get; init; }
    public bool Stp { get; init; }
    public required ImmutableArray<MemberRow> Members { get; init; }
    public required ImmutableArray<LinkRow> Links { get; init; }
    public required ImmutableArray<AttachmentRow> Attachments { get; init; }
    public RouterSpec? Router => Record.Desired.Spec.Router;
}

public static class SegmentViews
{
    public static ImmutableArray<SegmentRow> Rows(IReadOnlyList<SegmentRecord> segments, KnownHosts hosts)
    {
        var infos = hosts.Infos();
        return [.. segments.OrderBy(s => s.Id, StringComparer.Ordinal).Select((s, i) => Row(s, infos, SegmentPalette.For(i)))];
    }

    public static SegmentDetailView Detail(SegmentRecord record, IReadOnlyList<SegmentRecord> all, KnownHosts hosts)
    {
        var index = all.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Id).ToList().IndexOf(record.Id);
        var segment = record.Desired;
        var spec = segment.Spec;
        var allocation = segment.Allocation;
        var members = spec.Members.Select(m =>
        {
            var devices = spec.Transport == Transport.Vxlan
                ? allocation.VxlanDevices.Where(d => d.Host == m).Select(d => d.Device)
                : allocation.Links.SelectMany(l => l.A == m ? [l.DeviceA] : l.B == m ? new[] { l.DeviceB } : []);
            var status = hosts.Status(m.Value);
            return new MemberRow(m.Value, hosts.Find(m.Value)?.Address, status.State, spec.Router?.Host == m, [.. devices])
            {
                Persistence = PersistenceView.Of(status.Observed),
            };
        });
        var links = allocation.Links.Select(l => new LinkRow(l.A.Value, l.B.Value, l.DeviceA, l.DeviceB, Pairing(spec.Transport, l)));
        var applied = record.Applied?.Spec.Attachments ?? [];
        var attachments = spec.Attachments.Select(a => Attachment(a, allocation, hosts) with
            {
                Pending = record.Applied is not null && !applied.Contains(a) ? AttachmentChange.Attach : AttachmentChange.None,
            })
            // Detached in the wanted state but still on the hosts until the next apply: shown so the change is visible.
            .Concat(applied.Where(a => !spec.Attachments.Contains(a))
                .Select(a => Attachment(a, record.Applied!.Allocation, hosts) with { Pending = AttachmentChange.Detach }));
        return new SegmentDetailView
        {
            Summary = Row(record, hosts.Infos(), SegmentPalette.For(Math.Max(0, index))),
            Record = record,
            Vni = allocation.Vni,
            Stp = spec.Stp,
            Members = [.. members],
            Links = [.. links],
            Attachments = [.. attachments],
        };
    }

    private static AttachmentRow Attachment(AttachmentSpec attachment, Core.Allocation.SegmentAllocation allocation, KnownHosts hosts)
    {
        var container = hosts.Status(attachment.Host.Value).Inventory?.Containers.FirstOrDefault(c => c.Name == attachment.Container);
        var previous = allocation.Attachments.FirstOrDefault(x => x.Host == attachment.Host && x.Container == attachment.Container)?.PreviousLink;
        return new AttachmentRow(attachment.Host.Value, attachment.Container, container?.State, container?.Ipv4 ?? [], previous);
    }

    /// <summary>Both ends' values: "key 7", or "tunnel 1 ↔ 2 · session 1 ↔ 1 · udp 1701 ↔ 1701".</summary>
    public static string Pairing(Transport transport, Core.Allocation.LinkAllocation link) => transport switch
    {
        Transport.Gretap => $"key {link.GreKey}",
        Transport.L2tpv3Udp => $"tunnel {link.TunnelIdA} ↔ {link.TunnelIdB} · session {link.SessionIdA} ↔ {link.SessionIdB} · udp {link.PortA} ↔ {link.PortB}",
        _ => $"tunnel {link.TunnelIdA} ↔ {link.TunnelIdB} · session {link.SessionIdA} ↔ {link.SessionIdB}",
    };

    private static SegmentRow Row(SegmentRecord record, IReadOnlyDictionary<HostId, Core.Model.HostInfo> infos, string color)
    {
        var spec = record.Desired.Spec;
        return new SegmentRow
        {
            Name = spec.Name,
            Transport = spec.Transport,
            Bridge = spec.Bridge,
            Members = [.. spec.Members.Select(m => m.Value)],
            Router = spec.Router switch
            {
                null => null,
                { Mode: RouterMode.External } r => $"{r.Host} · external {r.ExternalInterface}",
                var r => $"{r.Host} · {r.Gateway}",
            },
            Attachments = spec.Attachments.Length,
            Mtu = SegmentMtu.Effective(spec, infos),
            State = record.Applied is null ? SegmentState.NotApplied : record.HasUnappliedChanges ? SegmentState.Pending : SegmentState.Applied,
            Color = color,
        };
    }
}
