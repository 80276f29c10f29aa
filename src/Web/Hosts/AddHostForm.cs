using System.Collections.Immutable;

namespace Superbridge.Web.Hosts;

/// <summary>
/// What the operator has typed into the Add-host dialog (bound to its fields, so mutable), and how it becomes an
/// <see cref="AddHostRequest"/>: only the secret of the chosen authentication is sent, the name defaults from the address.
/// </summary>
public sealed class AddHostForm
{
    public string Address { get; set; } = "";
    public int Port { get; set; } = 22;
    public string Username { get; set; } = "root";
    public bool UseSudo { get; set; }
    public HostAuthenticationKind Authentication { get; set; } = HostAuthenticationKind.KeyPath;
    public string PrivateKeyPath { get; set; } = "";
    public string PrivateKey { get; set; } = "";
    public string Passphrase { get; set; } = "";
    public string Password { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Blank: the host's address on the route to its peers.</summary>
    public string TunnelAddress { get; set; } = "";
    /// <summary>Blank: the SSH address.</summary>
    public string PeerAddress { get; set; } = "";

    /// <summary>The name the host gets: the one typed, else one made from the address.</summary>
    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? NameFromAddress(Address) : Name.Trim();

    /// <summary>"198.51.100.1" stays as is, "db1.example.net" too, "[fd00::1]" becomes "fd00--1".</summary>
    public static string NameFromAddress(string? address) =>
        (address ?? "").Trim().Trim('[', ']').Replace(':', '-');

    public AddHostRequest ToRequest(string? hostKey) => new()
    {
        Name = EffectiveName,
        Address = Address.Trim(),
        Port = Port,
        Username = Username.Trim(),
        UseSudo = UseSudo,
        PrivateKeyPath = Authentication == HostAuthenticationKind.KeyPath ? Blank(PrivateKeyPath.Trim()) : null,
        PrivateKey = Authentication == HostAuthenticationKind.Key ? Blank(PrivateKey) : null,
        Passphrase = Authentication is HostAuthenticationKind.Key or HostAuthenticationKind.KeyPath ? Blank(Passphrase) : null,
        Password = Authentication == HostAuthenticationKind.Password ? Blank(Password) : null,
        HostKey = hostKey,
        TunnelAddress = Blank(TunnelAddress.Trim()),
        PeerAddress = Blank(PeerAddress.Trim()),
    };

    /// <summary>
    /// Everything <see cref="AddHostRequestValidator"/> refuses before any connection is made; the host key is not
    /// asked for yet (the Connect step reads it).
    /// </summary>
    public FormErrors ValidateBeforeConnect()
    {
        var errors = AddHostRequestValidator.Validate(ToRequest(AddHostRequest.TrustOnFirstUse)).ToDictionary();
        return new FormErrors(errors.Remove("hostKey"), Authentication);
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;
}

/// <summary>
/// Field → messages from the validator or a failed registration, read by the dialog's fields. "credentials" is shown
/// on the field of the chosen authentication.
/// </summary>
public sealed record FormErrors(ImmutableDictionary<string, string[]> Fields, HostAuthenticationKind Authentication)
{
    public static FormErrors None { get; } = new(ImmutableDictionary<string, string[]>.Empty, HostAuthenticationKind.KeyPath);

    public bool Any => !Fields.IsEmpty;

    /// <summary>The messages for a field, joined; null when it has none.</summary>
    public string? For(string field)
    {
        var messages = Messages(field).ToList();
        if (SecretField(Authentication) == field) messages.AddRange(Messages("credentials"));
        return messages.Count == 0 ? null : string.Join("; ", messages);
    }

    /// <summary>The request field that holds the secret of an authentication kind.</summary>
    public static string SecretField(HostAuthenticationKind kind) => kind switch
    {
        HostAuthenticationKind.KeyPath => "privateKeyPath",
        HostAuthenticationKind.Key => "privateKey",
        _ => "password",
    };

    private IEnumerable<string> Messages(string field) => Fields.TryGetValue(field, out var list) ? list : [];
}
