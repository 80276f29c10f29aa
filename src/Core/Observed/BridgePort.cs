namespace Superbridge.Core.Observed;

/// <summary>One port of <c>bridge -j link show</c>: a device enslaved to <see cref="Master"/> and its STP state.</summary>
public sealed record BridgePort(string Device, int Index, string Master, string State, int Mtu, bool IsUp);
