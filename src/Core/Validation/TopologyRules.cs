using Superbridge.Core.Model;

namespace Superbridge.Core.Validation;

/// <summary>
/// Point-to-point links must form a tree over the members: a cycle floods frames forever unless STP
/// runs, and a member without a path is not on the segment at all.
/// </summary>
internal static class TopologyRules
{
    public static void Check(SegmentSpec spec, ErrorList errors)
    {
        var members = spec.Members.Distinct().ToList();
        var index = members.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        var adjacency = members.Select(_ => new List<int>()).ToArray();
        var parent = Enumerable.Range(0, members.Count).ToArray();

        var pairs = new HashSet<(int, int)>();
        for (var i = 0; i < spec.Links.Length; i++)
        {
            var link = spec.Links[i];
            if (!index.TryGetValue(link.A, out var a) || !index.TryGetValue(link.B, out var b) || a == b) continue;
            if (!pairs.Add((Math.Min(a, b), Math.Max(a, b)))) continue; // a duplicate link is reported as such, not as a cycle
            if (!spec.Stp && Find(parent, a) == Find(parent, b))
            {
                var path = PathBetween(adjacency, b, a); // b … a, then the new link closes it back to b
                var names = path.Select(p => members[p].Value).Append(members[b].Value);
                errors.Add($"links[{i}]", ErrorCode.Cycle,
                    $"links {string.Join("–", names)} form a cycle; remove a link or enable STP");
                continue;
            }
            parent[Find(parent, a)] = Find(parent, b);
            adjacency[a].Add(b);
            adjacency[b].Add(a);
        }

        if (members.Count < 2) return;
        var root = Find(parent, 0);
        var unreached = members.Where((_, i) => Find(parent, i) != root).Select(m => m.Value).ToList();
        if (unreached.Count > 0)
            errors.Add("links", ErrorCode.NotConnected,
                $"hosts {string.Join(", ", unreached)} are not linked to {members[0].Value}; every member needs a path of links");
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }

    private static List<int> PathBetween(List<int>[] adjacency, int from, int to)
    {
        var previous = new Dictionary<int, int> { [from] = from };
        var queue = new Queue<int>([from]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == to) break;
            foreach (var next in adjacency[node])
                if (previous.TryAdd(next, node)) queue.Enqueue(next);
        }
        var path = new List<int>();
        for (var node = to; ; node = previous[node])
        {
            path.Add(node);
            if (node == from) break;
        }
        path.Reverse();
        return path;
    }
}
