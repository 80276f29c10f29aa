using Superbridge.Ssh;
using Superbridge.Ssh.Inventory;
using Superbridge.Web.Hosts;

namespace Superbridge.Web.Inventory;

/// <summary>One row of the Hosts grid: the stored host (never its secrets) and its latest status.</summary>
public sealed record HostRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required int Port { get; init; }
    public required string Username { get; init; }
    public required bool UseSudo { get; init; }
    public required string Fingerprint { get; init; }
    public required HostStatus Status { get; init; }

    public InventoryFeatures? Features => Status.Inventory?.Features;
    public int? ContainerCount => Status.Inventory?.Containers.Length;
    /// <summary>"198.51.100.1" on port 22, "198.51.100.1:2222" otherwise ("[fd00::1]:2222" for IPv6).</summary>
    public string Endpoint => Port == 22 ? Address : Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    public static HostRow From(StoredHost host, HostStatus status) => new()
    {
        Id = host.Id,
        Name = host.Name,
        Address = host.Address,
        Port = host.Port,
        Username = host.Username,
        UseSudo = host.UseSudo,
        Fingerprint = host.HostKeyFingerprint,
        Status = status,
    };
}

/// <summary>Host counts for the Overview page.</summary>
public sealed record HostSummary(int Total, int Online, int Offline, int Unknown)
{
    public static HostSummary Of(IEnumerable<HostStatus> statuses)
    {
        var list = statuses.ToList();
        return new HostSummary(
            list.Count,
            list.Count(s => s.State == HostState.Online),
            list.Count(s => s.State == HostState.Offline),
            list.Count(s => s.State == HostState.Unknown));
    }
}

/// <summary>Short labels for why a host is offline, for chips (the full message goes in a tooltip).</summary>
public static class OfflineReasons
{
    public static string Label(SshFailureReason? reason) => reason switch
    {
        SshFailureReason.Refused => "connection refused",
        SshFailureReason.Timeout => "timed out",
        SshFailureReason.AuthFailed => "login refused",
        SshFailureReason.HostKeyChanged => "host key changed",
        SshFailureReason.HostKeyUnconfirmed => "host key unconfirmed",
        SshFailureReason.SudoNeedsPassword => "sudo needs a password",
        SshFailureReason.Other => "error",
        _ => "unknown",
    };
}
