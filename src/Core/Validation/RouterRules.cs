using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>
/// The router: at most one per segment (two DHCP servers on one segment hand out conflicting leases; the
/// model holds a single router, so a second cannot be expressed), on a member, with a gateway subnet the
/// DHCP range fits in. A segment may have none yet: a plain layer-2 segment whose router is set later.
/// </summary>
internal static class RouterRules
{
    public static void Check(RouterSpec? router, HashSet<HostId> members, ErrorList errors)
    {
        if (router is null) return;
        if (errors.Check("router.host", ErrorCode.InvalidName, NameRules.HostIdProblem(router.Host.Value)) && !members.Contains(router.Host))
            errors.Add("router.host", ErrorCode.NotMember, $"host {router.Host} is not a (valid) member of the segment");

        switch (router.Mode)
        {
            case RouterMode.Gateway: CheckGateway(router, errors); break;
            case RouterMode.External: CheckExternal(router, errors); break;
            default: errors.Add("router.mode", ErrorCode.Unsupported, "must be gateway or external"); break;
        }
    }

    private static void CheckExternal(RouterSpec router, ErrorList errors)
    {
        if (router.ExternalInterface is null) errors.Add("router.externalInterface", ErrorCode.Required, "external mode needs the physical interface to add to the bridge");
        else errors.Check("router.externalInterface", ErrorCode.InvalidName, NameRules.InterfaceProblem(router.ExternalInterface));
        const string none = "the external router serves the segment; leave it empty";
        if (router.Gateway is not null) errors.Add("router.gateway", ErrorCode.NotAllowed, none);
        if (router.DhcpRange is not null) errors.Add("router.dhcpRange", ErrorCode.NotAllowed, none);
        if (router.Nat) errors.Add("router.nat", ErrorCode.NotAllowed, none);
        if (router.NatOutInterface is not null) errors.Add("router.natOutInterface", ErrorCode.NotAllowed, none);
    }

    private static void CheckGateway(RouterSpec router, ErrorList errors)
    {
        if (router.ExternalInterface is not null) errors.Add("router.externalInterface", ErrorCode.NotAllowed, "applies to external mode only");
        errors.Check("router.leaseTime", ErrorCode.InvalidFormat, NameRules.LeaseTimeProblem(router.LeaseTime));
        if (router.NatOutInterface is not null)
        {
            if (!router.Nat) errors.Add("router.natOutInterface", ErrorCode.NotAllowed, "applies only when nat is on");
            else errors.Check("router.natOutInterface", ErrorCode.InvalidName, NameRules.InterfaceProblem(router.NatOutInterface));
        }

        if (!TryGatewaySubnet(router.Gateway, errors, out var subnet))
        {
            if (router.DhcpRange is null) errors.Add("router.dhcpRange", ErrorCode.Required, "gateway mode needs a DHCP range");
            return;
        }
        if (router.DhcpRange is null)
        {
            errors.Add("router.dhcpRange", ErrorCode.Required, "gateway mode needs a DHCP range");
            return;
        }
        var startOk = TryHostAddress(router.DhcpRange.Start, "router.dhcpRange.start", subnet, errors, out var start);
        var endOk = TryHostAddress(router.DhcpRange.End, "router.dhcpRange.end", subnet, errors, out var end);
        if (!startOk || !endOk) return;
        if (start > end) errors.Add("router.dhcpRange", ErrorCode.OutOfRange, "start is after end");
        else if (subnet.Address >= start && subnet.Address <= end)
            errors.Add("router.dhcpRange", ErrorCode.Conflict, $"includes the gateway {subnet.AddressText}");
    }

    internal static bool TryGatewaySubnet(string? gateway, ErrorList errors, out Ipv4Subnet subnet)
    {
        subnet = default;
        if (gateway is null) { errors.Add("router.gateway", ErrorCode.Required, "gateway mode needs an address with prefix, e.g. 10.0.2.1/24"); return false; }
        if (!Ipv4Subnet.TryParse(gateway, out subnet))
        {
            var slash = gateway.IndexOf('/');
            if (slash > 0 && IpAddressRules.TryParseIpv4(gateway[..slash], out _))
                errors.Add("router.gateway", ErrorCode.InvalidPrefix, $"'{IpAddressRules.Shorten(gateway[(slash + 1)..])}' is not a prefix length 0..32");
            else
                errors.Add("router.gateway", ErrorCode.InvalidAddress, $"'{IpAddressRules.Shorten(gateway)}' is not an IPv4 address with prefix, e.g. 10.0.2.1/24");
            return false;
        }
        if (subnet.PrefixLength is < 8 or > 30)
        {
            errors.Add("router.gateway", ErrorCode.InvalidPrefix, $"/{subnet.PrefixLength} is outside /8../30 (a DHCP subnet needs room for hosts)");
            return false;
        }
        if (subnet.Address == subnet.Network || subnet.Address == subnet.Broadcast)
        {
            errors.Add("router.gateway", ErrorCode.InvalidAddress, $"{subnet.AddressText} is the network or broadcast address of {subnet.NetworkCidr}");
            return false;
        }
        return true;
    }

    private static bool TryHostAddress(string? text, string path, Ipv4Subnet subnet, ErrorList errors, out uint address)
    {
        address = 0;
        if (!IpAddressRules.TryParseIpv4(text, out var ip))
        {
            errors.Add(path, ErrorCode.InvalidAddress, $"'{IpAddressRules.Shorten(text)}' is not an IPv4 address");
            return false;
        }
        address = Ipv4Subnet.ToUInt(ip);
        if (!subnet.Contains(address)) { errors.Add(path, ErrorCode.OutOfRange, $"{text} is outside {subnet.NetworkCidr}"); return false; }
        if (address == subnet.Network || address == subnet.Broadcast)
        {
            errors.Add(path, ErrorCode.OutOfRange, $"{text} is the network or broadcast address");
            return false;
        }
        return true;
    }
}
