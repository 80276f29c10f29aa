using System.Collections.Immutable;
using Superbridge.Core.Model;
using Superbridge.Core.Observed;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Segments;

/// <summary>
/// Looks up a segment's hosts and inventories them in parallel, so allocation and planning see the
/// hosts' real underlay MTU, kernel features, containers and what they already have. Reads through
/// <see cref="IHostInventorySource"/> (SSH in the app), so pages that change segments are tested without a host.
/// </summary>
public sealed class SegmentHostObserver(HostStore store, IHostInventorySource inventory)
{
    public async Task<SegmentHostSnapshot?> ObserveAsync(IReadOnlyList<HostId> ids, string field, FieldErrors errors, CancellationToken cancellationToken)
    {
        var known = (await store.ListAsync(cancellationToken)).ToDictionary(h => h.Id);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!known.ContainsKey(ids[i].Value))
            {
                errors.Add($"{field}[{i}]", $"host '{ids[i]}' is not known; add it first");
            }
        }
        if (errors.Any) return null;

        var underlay = HostStatusBoard.UnderlayMap(known.Values);
        var results = await Task.WhenAll(ids.Distinct().Select(id => known[id.Value])
            .Select(h => Task.Run(() => inventory.RefreshAsync(h, underlay, Superbridge.Ssh.Audit.AuditTag.System, cancellationToken), cancellationToken)));

        var hosts = ImmutableDictionary.CreateBuilder<HostId, ApplyHost>();
        var observed = ImmutableDictionary.CreateBuilder<HostId, ObservedHost>();
        foreach (var result in results)
        {
            var index = ids.ToList().IndexOf(result.HostId);
            switch (result)
            {
                case HostInventoryResult.Online { Problems.IsEmpty: true } online:
                    var stored = known[result.HostId.Value];
                    var info = new HostInfo
                    {
                        Id = result.HostId,
                        Address = stored.Address,
                        UnderlayDevice = stored.UnderlayDevice ?? online.Assembled.UnderlayDevice,
                        UnderlayMtu = stored.UnderlayMtu ?? online.Assembled.UnderlayMtu ?? 1500,
                        LxcPath = stored.LxcPath ?? online.Assembled.LxcPath,
                        Features = online.Host.Features,
                    };
                    hosts[result.HostId] = new ApplyHost(stored.ToTarget(), info);
                    observed[result.HostId] = online.Host;
                    break;
                case HostInventoryResult.Online online:
                    errors.Add($"{field}[{index}]", $"the inventory of '{result.HostId}' is incomplete: {string.Join("; ", online.Problems)}");
                    break;
                case HostInventoryResult.Offline offline:
                    errors.Add($"{field}[{index}]", $"host '{result.HostId}' is unreachable ({offline.Reason}): {offline.Message}");
                    break;
            }
        }
        return errors.Any ? null : new SegmentHostSnapshot(hosts.ToImmutable(), observed.ToImmutable());
    }
}
