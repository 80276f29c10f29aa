using Superbridge.Web.Hosts;

namespace Superbridge.Web.Api;

/// <summary>A host as the API shows it: never its secrets.</summary>
public sealed record HostResponse(
    string Id,
    string Name,
    string Address,
    int Port,
    string Username,
    bool UseSudo,
    string HostKeyFingerprint,
    string Status)
{
    public static HostResponse From(StoredHost host, string status) =>
        new(host.Id, host.Name, host.Address, host.Port, host.Username, host.UseSudo, host.HostKeyFingerprint, status);
}
