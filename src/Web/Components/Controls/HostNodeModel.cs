using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Components.Controls;

/// <summary>A host on the topology canvas, with one port to drag a new tunnel from.</summary>
public sealed class HostNodeModel : NodeModel
{
    public HostNodeModel(TopologyNode host) : base($"host:{host.HostId}", new Point(host.X, host.Y))
    {
        // HostNode's stylesheet fixes the box at this size, so the diagram need not measure it: no resize observer and
        // size report per host, and no second render of every node (each render a frame buffer kept per open page).
        ControlledSize = true;
        Size = new Size(TopologyGraphBuilder.NodeWidth, TopologyGraphBuilder.NodeHeight);
        Host = host;
        Title = host.Name;
        AddPort(new HostPortModel(this));
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

/// <summary>The handle a tunnel is dragged from; it can be dropped on another host's handle or anywhere on that host.</summary>
public sealed class HostPortModel(HostNodeModel parent) : PortModel(parent, PortAlignment.Right)
{
    public override bool CanAttachTo(ILinkable other) => other switch
    {
        HostNodeModel node => node != Parent,
        PortModel port => port.Parent != Parent && port.Parent is HostNodeModel,
        _ => false,
    };
}
