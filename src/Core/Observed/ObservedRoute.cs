namespace Superbridge.Core.Observed;

/// <summary>
/// One route of the main table. <see cref="Destination"/> is "default" or a prefix ("198.51.100.0/24"; a bare address is
/// a host route); <see cref="Family"/> is "inet" or "inet6".
/// </summary>
public sealed record ObservedRoute(string Family, string Destination, string? Device, string? Gateway, string? PreferredSource, int Metric);
