using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Controls;

/// <summary>A host on the topology canvas, with one port to drag a new tunnel from.</summary>
public sealed class HostNodeModel : NodeModel
{
    public HostNodeModel(TopologyNode host) : base($"host:{host.HostId}", new Point(host.X, host.Y))
    {
        Host = host;
        Title = host.Name;
        AddPort(PortAlignment.Right);
    }

    public TopologyNode Host { get; private set; }

    /// <summary>New status or name; the position stays where it is.</summary>
    public void Update(TopologyNode host)
    {
        if (Host == host with { X = Host.X, Y = Host.Y }) return;
        Host = host with { X = Host.X, Y = Host.Y };
        Title = host.Name;
        Refresh();
    }
}
