namespace Superbridge.Core.Allocation;

/// <summary>
/// GRE keys: the kernel demultiplexes gretap by (local, remote, key), so a key free on both ends lets
/// several segments join the same host pair.
/// </summary>
internal static class GreKeyAllocator
{
    public static uint Next(HostUsage a, HostUsage b)
    {
        for (uint key = 1; key < uint.MaxValue; key++)
        {
            if (a.GreKeys.Contains(key) || b.GreKeys.Contains(key)) continue;
            a.GreKeys.Add(key);
            b.GreKeys.Add(key);
            return key;
        }
        throw new InvalidOperationException("No free GRE key.");
    }
}
