using Dapper;
using Superbridge.Web.Storage;

namespace Superbridge.Web.Hosts;

/// <summary>The <c>hosts</c> table. Secrets go in and come out through <see cref="HostSecretProtector"/>.</summary>
public sealed class HostStore(SqliteConnectionFactory connections, HostSecretProtector secrets)
{
    public async Task AddAsync(StoredHost host, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO hosts (id, name, address, port, username, auth_kind, private_key_path, secret_protected,
                               passphrase_protected, use_sudo, host_key_fingerprint, underlay_device, underlay_mtu, lxc_path, created_at,
                               tunnel_address, peer_address)
            VALUES (@Id, @Name, @Address, @Port, @Username, @AuthKind, @PrivateKeyPath, @SecretProtected,
                    @PassphraseProtected, @UseSudo, @HostKeyFingerprint, @UnderlayDevice, @UnderlayMtu, @LxcPath, @CreatedAt,
                    @TunnelAddress, @PeerAddress)
            """, ToRow(host));
    }

    public async Task<IReadOnlyList<StoredHost>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HostRow>($"{SelectColumns} ORDER BY name");
        return rows.Select(FromRow).ToList();
    }

    public async Task<StoredHost?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HostRow>($"{SelectColumns} WHERE id = @id", new { id });
        return row is null ? null : FromRow(row);
    }

    /// <summary>Sets (null: clears) a host's tunnel and peer addresses; false when no such host.</summary>
    public async Task<bool> SetAddressesAsync(string id, string? tunnelAddress, string? peerAddress, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE hosts SET tunnel_address = @tunnelAddress, peer_address = @peerAddress WHERE id = @id",
            new { id, tunnelAddress, peerAddress }) == 1;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM hosts WHERE id = @id", new { id }) == 1;
    }

    private const string SelectColumns = """
        SELECT id AS Id, name AS Name, address AS Address, port AS Port, username AS Username, auth_kind AS AuthKind,
               private_key_path AS PrivateKeyPath, secret_protected AS SecretProtected, passphrase_protected AS PassphraseProtected,
               use_sudo AS UseSudo, host_key_fingerprint AS HostKeyFingerprint, underlay_device AS UnderlayDevice,
               underlay_mtu AS UnderlayMtu, lxc_path AS LxcPath, created_at AS CreatedAt,
               tunnel_address AS TunnelAddress, peer_address AS PeerAddress
        FROM hosts
        """;

    private HostRow ToRow(StoredHost host) => new()
    {
        Id = host.Id,
        Name = host.Name,
        Address = host.Address,
        Port = host.Port,
        Username = host.Username,
        AuthKind = AuthKindNames.ToColumn(host.Authentication),
        PrivateKeyPath = host.PrivateKeyPath,
        SecretProtected = secrets.Protect(host.Secret),
        PassphraseProtected = secrets.Protect(host.Passphrase),
        UseSudo = host.UseSudo,
        HostKeyFingerprint = host.HostKeyFingerprint,
        UnderlayDevice = host.UnderlayDevice,
        UnderlayMtu = host.UnderlayMtu,
        LxcPath = host.LxcPath,
        CreatedAt = host.CreatedAt.ToString("O"),
        TunnelAddress = host.TunnelAddress,
        PeerAddress = host.PeerAddress,
    };

    private StoredHost FromRow(HostRow row) => new()
    {
        Id = row.Id,
        Name = row.Name,
        Address = row.Address,
        Port = (int)row.Port,
        Username = row.Username,
        Authentication = AuthKindNames.FromColumn(row.AuthKind),
        PrivateKeyPath = row.PrivateKeyPath,
        Secret = secrets.Unprotect(row.SecretProtected),
        Passphrase = secrets.Unprotect(row.PassphraseProtected),
        UseSudo = row.UseSudo,
        HostKeyFingerprint = row.HostKeyFingerprint,
        UnderlayDevice = row.UnderlayDevice,
        UnderlayMtu = row.UnderlayMtu is null ? null : (int)row.UnderlayMtu,
        LxcPath = row.LxcPath,
        TunnelAddress = row.TunnelAddress,
        PeerAddress = row.PeerAddress,
        CreatedAt = DateTimeOffset.Parse(row.CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed class HostRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Address { get; init; } = "";
        public long Port { get; init; }
        public string Username { get; init; } = "";
        public string AuthKind { get; init; } = "";
        public string? PrivateKeyPath { get; init; }
        public string? SecretProtected { get; init; }
        public string? PassphraseProtected { get; init; }
        public bool UseSudo { get; init; }
        public string HostKeyFingerprint { get; init; } = "";
        public string? UnderlayDevice { get; init; }
        public long? UnderlayMtu { get; init; }
        public string? LxcPath { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? TunnelAddress { get; init; }
        public string? PeerAddress { get; init; }
    }

    private static class AuthKindNames
    {
        public static string ToColumn(HostAuthenticationKind kind) => kind switch
        {
            HostAuthenticationKind.KeyPath => "key-path",
            HostAuthenticationKind.Key => "key",
            HostAuthenticationKind.Password => "password",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        public static HostAuthenticationKind FromColumn(string column) => column switch
        {
            "key-path" => HostAuthenticationKind.KeyPath,
            "key" => HostAuthenticationKind.Key,
            "password" => HostAuthenticationKind.Password,
            _ => throw new InvalidDataException($"hosts.auth_kind has an unknown value '{column}'."),
        };
    }
}
