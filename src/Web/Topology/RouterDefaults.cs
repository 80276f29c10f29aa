using Superbridge.Core.Model;
using Superbridge.Core.Validation;

namespace Superbridge.Web.Topology;

/// <summary>What the router dialog starts with: a gateway /24, the rest of it for DHCP, 12 h leases, NAT on.</summary>
public sealed record RouterDefaults(string Gateway, string RangeStart, string RangeEnd, string LeaseTime = "12h", bool Nat = true)
{
    /// <summary>
    /// 10.0.2.1/24 with .2–.254, or the first 10.0.N.0/24 (N = 2..255, then 10.N.0.0/24…) that overlaps no gateway
    /// subnet of <paramref name="segments"/> other than <paramref name="except"/> (the segment being edited keeps its own).
    /// </summary>
    public static RouterDefaults NextFree(IEnumerable<Segment> segments, string? except = null)
    {
        var taken = segments
            .Where(s => s.Spec.Name != except)
            .Select(s => s.Spec.Router?.Gateway)
            .Select(g => Ipv4Subnet.TryParse(g, out var subnet) ? subnet : (Ipv4Subnet?)null)
            .OfType<Ipv4Subnet>()
            .ToList();
        foreach (var network in Candidates())
        {
            var candidate = new Ipv4Subnet(network + 1, 24);
            if (taken.Any(t => t.Overlaps(candidate))) continue;
            return new RouterDefaults(candidate.AddressCidr, Ipv4Subnet.Format(network + 2), Ipv4Subnet.Format(network + 254));
        }
        throw new InvalidOperationException("Every 10.x.y.0/24 is taken.");
    }

    private static IEnumerable<uint> Candidates()
    {
        const uint ten = 10u << 24;
        for (uint third = 2; third <= 255; third++) yield return ten | third << 8;
        for (uint second = 1; second <= 255; second++)
        for (uint third = 0; third <= 255; third++)
            yield return ten | second << 16 | third << 8;
        for (uint third = 0; third < 2; third++) yield return ten | third << 8;
    }
}
