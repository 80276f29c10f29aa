using System.Text.RegularExpressions;
using Superbridge.Core.Validation;
using Superbridge.Ssh;
using Superbridge.Web.Validation;

namespace Superbridge.Web.Hosts;

/// <summary>Checks every field of an <see cref="AddHostRequest"/> before anything connects or is stored.</summary>
public static partial class AddHostRequestValidator
{
    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}\\z")]
    private static partial Regex UserNameRegex();

    public static FieldErrors Validate(AddHostRequest request)
    {
        var errors = new FieldErrors();
        if (NameRules.HostIdProblem(request.Name) is { } nameProblem)
        {
            errors.Add("name", $"name {nameProblem}");
        }
        HostAddressRules.Check(errors, request.Address, request.TunnelAddress, request.PeerAddress);
        if (request.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add("port", "port must be between 1 and 65535");
        }
        if (request.Username is null || !UserNameRegex().IsMatch(request.Username))
        {
            errors.Add("username", "username must be 1..32 lowercase letters, digits, '_' or '-', starting with a letter or '_'");
        }

        var secrets = new[] { request.PrivateKeyPath, request.PrivateKey, request.Password }.Count(s => !string.IsNullOrEmpty(s));
        if (secrets != 1)
        {
            errors.Add("credentials", "give exactly one of privateKeyPath, privateKey or password");
        }
        if (!string.IsNullOrEmpty(request.PrivateKeyPath) && NameRules.PathProblem(request.PrivateKeyPath) is { } pathProblem)
        {
            errors.Add("privateKeyPath", $"privateKeyPath {pathProblem}");
        }
        else if (!string.IsNullOrEmpty(request.PrivateKeyPath) && !File.Exists(request.PrivateKeyPath))
        {
            errors.Add("privateKeyPath", $"privateKeyPath {request.PrivateKeyPath} does not exist on the dashboard's machine");
        }
        if (!string.IsNullOrEmpty(request.PrivateKey) && !request.PrivateKey.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            errors.Add("privateKey", "privateKey must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)");
        }
        if (!string.IsNullOrEmpty(request.Passphrase) && !string.IsNullOrEmpty(request.Password))
        {
            errors.Add("passphrase", "a passphrase goes with a private key, not a password");
        }

        if (string.IsNullOrWhiteSpace(request.HostKey))
        {
            errors.Add("hostKey", $"hostKey is required: the SHA256 fingerprint you confirmed, or '{AddHostRequest.TrustOnFirstUse}'");
        }
        else if (request.HostKey != AddHostRequest.TrustOnFirstUse && !HostKeyFingerprint.TryParse(request.HostKey, out _))
        {
            errors.Add("hostKey", $"hostKey must be SHA256:<43 base64 characters> as ssh-keygen -l prints it, or '{AddHostRequest.TrustOnFirstUse}'");
        }
        if (request.LxcPath is not null && NameRules.PathProblem(request.LxcPath) is { } lxcProblem)
        {
            errors.Add("lxcPath", $"lxcPath {lxcProblem}");
        }
        return errors;
    }
}
