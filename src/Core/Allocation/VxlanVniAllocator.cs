namespace Superbridge.Core.Allocation;

/// <summary>One VNI per segment, unique across all segments so two segments never share a flood domain.</summary>
internal static class VxlanVniAllocator
{
    public const uint First = 1;

    public static uint Next(HashSet<uint> used)
    {
        for (var vni = First; vni <= 16_777_215; vni++)
            if (used.Add(vni)) return vni;
        throw new InvalidOperationException("All VNIs are in use.");
    }
}
