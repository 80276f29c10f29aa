using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Segments;

/// <summary>
/// Turns API requests into Core specs. Only the shape is checked here (required fields, known words);
/// every value is validated by Core before anything is allocated or planned.
/// </summary>
public static class SegmentRequestMapper
{
    public static SegmentSpec? ToSpec(CreateSegmentRequest request, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(request.Name)) errors.Add("name", "name is required");
        if (!TransportNames.TryParse(request.Transport, out var transport))
        {
            errors.Add("transport", "transport must be one of gretap, l2tpv3-udp, l2tpv3-ip, vxlan");
        }
        var encryption = ToEncryption(request.Encryption, errors);
        if (request.HostIds.IsDefaultOrEmpty)
        {
            errors.Add("hostIds", "hostIds must list at least one host");
        }
        else if (request.HostIds.Distinct().Count() != request.HostIds.Length)
        {
            errors.Add("hostIds", "hostIds lists a host twice");
        }
        if (errors.Any) return null;

        var members = request.HostIds.Select(h => new HostId(h)).ToImmutableArray();
        var links = ImmutableArray<LinkSpec>.Empty;
        if (transport.IsPointToPoint())
        {
            if (request.Links is { } given)
            {
                for (var i = 0; i < given.Length; i++)
                {
                    if (given[i].IsDefault || given[i].Length != 2)
                    {
                        errors.Add($"links[{i}]", "a link is a pair of host ids [a, b]");
                        continue;
                    }
                    links = links.Add(new LinkSpec { A = given[i][0], B = given[i][1] });
                }
            }
            else
            {
                links = [.. members.Skip(1).Select(m => new LinkSpec { A = members[0], B = m })];
            }
        }
        else if (request.Links is { Length: > 0 })
        {
            errors.Add("links", "VXLAN reaches every member from every other; links are only for gretap and L2TPv3");
        }
        var uplinks = ToUplinks(request.Uplinks, errors);
        if (errors.Any) return null;

        return new SegmentSpec
        {
            Name = request.Name!,
            Bridge = string.IsNullOrEmpty(request.Bridge) ? "superbr0" : request.Bridge,
            Transport = transport,
            Members = members,
            Links = links,
            Stp = request.Stp,
            Mtu = request.Mtu,
            Encryption = encryption,
            Uplinks = uplinks,
        };
    }

    private static ImmutableArray<UplinkSpec> ToUplinks(ImmutableArray<UplinkRequest> requests, FieldErrors errors)
    {
        if (requests.IsDefaultOrEmpty) return [];
        var uplinks = ImmutableArray.CreateBuilder<UplinkSpec>(requests.Length);
        for (var i = 0; i < requests.Length; i++)
            if (ToUplink(requests[i], errors, $"uplinks[{i}].") is { } uplink) uplinks.Add(uplink);
        return uplinks.ToImmutable();
    }

    /// <param name="prefix">Where the request's fields sit (<c>uplinks[0].</c> in a create, nothing in its own request).</param>
    public static UplinkSpec? ToUplink(UplinkRequest? request, FieldErrors errors, string prefix = "")
    {
        var (host, nic) = (request?.HostId, request?.Interface);
        if (string.IsNullOrEmpty(host)) errors.Add($"{prefix}hostId", "hostId is required");
        if (string.IsNullOrEmpty(nic)) errors.Add($"{prefix}interface", "interface is required");
        return string.IsNullOrEmpty(host) || string.IsNullOrEmpty(nic) ? null : new UplinkSpec(host, nic);
    }

    /// <summary><c>none</c> when not given.</summary>
    public static Encryption ToEncryption(string? wire, FieldErrors errors)
    {
        switch (wire)
        {
            case null or "" or "none": return Encryption.None;
            case "ipsec": return Encryption.Ipsec;
            default:
                errors.Add("encryption", "encryption must be none or ipsec");
                return Encryption.None;
        }
    }

    public static RouterSpec? ToRouter(RouterRequest request, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(request.HostId)) errors.Add("hostId", "hostId is required");
        var mode = request.Mode switch
        {
            null or "" or "gateway" => RouterMode.Gateway,
            "external" => RouterMode.External,
            _ => (RouterMode?)null,
        };
        if (mode is null) errors.Add("mode", "mode must be gateway or external");
        DhcpRange? range = null;
        if (!string.IsNullOrEmpty(request.DhcpRange))
        {
            var parts = request.DhcpRange.Split('-');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                errors.Add("dhcpRange", "dhcpRange must be start-end, e.g. 10.0.2.2-10.0.2.254");
            }
            else
            {
                range = new DhcpRange(parts[0], parts[1]);
            }
        }
        if (errors.Any) return null;
        return new RouterSpec
        {
            Host = request.HostId!,
            Mode = mode!.Value,
            Gateway = request.Gateway,
            DhcpRange = range,
            LeaseTime = string.IsNullOrEmpty(request.LeaseTime) ? "12h" : request.LeaseTime,
            Nat = request.Nat,
            NatOutInterface = request.NatOutInterface,
            Dns = request.Dns,
            ExternalInterface = request.ExternalInterface,
        };
    }

    /// <summary>Core's paths are already the request's field names (<c>router.dhcpRange</c>, <c>links[0].tunnelId</c>).</summary>
    public static FieldErrors ToFieldErrors(IEnumerable<Superbridge.Core.Validation.ValidationError> errors)
    {
        var fields = new FieldErrors();
        foreach (var error in errors)
        {
            fields.Add(error.Path, error.Message);
        }
        return fields;
    }
}
