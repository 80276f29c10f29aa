namespace Superbridge.Web.Hosts;

/// <summary>How the dashboard proves itself to a host's sshd.</summary>
public enum HostAuthenticationKind
{
    /// <summary>A private key file on the dashboard's machine; only the path is stored.</summary>
    KeyPath,
    /// <summary>A pasted private key, stored encrypted.</summary>
    Key,
    /// <summary>A password, stored encrypted.</summary>
    Password,
}
