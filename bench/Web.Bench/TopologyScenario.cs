namespace Superbridge.Bench.Web;

/// <summary>What the database holds for one row of the bench.</summary>
public sealed record TopologyScenario(string Name, int Hosts, int Tunnels);
