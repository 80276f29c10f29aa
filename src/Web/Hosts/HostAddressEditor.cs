using Superbridge.Web.Validation;

namespace Superbridge.Web.Hosts;

/// <summary>The outcome of setting a host's addresses: not found, refused with the fields' errors, or done.</summary>
public sealed record HostAddressEdit(bool NotFound, FieldErrors Errors);

/// <summary>
/// Sets a stored host's tunnel and peer addresses (the API's PATCH and the host page's dialog), checked against its SSH
/// address first. Tunnels applied with the old addresses show as drift (a mismatched device is not replaced in place).
/// </summary>
public sealed class HostAddressEditor(HostStore store)
{
    public async Task<HostAddressEdit> SetAsync(string id, HostAddressesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (await store.FindAsync(id, cancellationToken) is not { } host) return new HostAddressEdit(true, errors);
        HostAddressRules.Check(errors, host.Address, request.TunnelAddress, request.PeerAddress);
        if (errors.Any) return new HostAddressEdit(false, errors);
        var found = await store.SetAddressesAsync(id, HostAddressRules.Normalize(request.TunnelAddress), HostAddressRules.Normalize(request.PeerAddress), cancellationToken);
        return new HostAddressEdit(!found, errors);
    }
}
