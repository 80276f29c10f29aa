using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Web.Hosts;
using Superbridge.Web.Storage;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Hosts;

public sealed class HostStoreTests
{
    private const string Password = "pa$$word-never-in-clear-7731";
    private const string PrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-secret-key-body-4412\n-----END OPENSSH PRIVATE KEY-----";
    private const string Passphrase = "passphrase-never-in-clear-9917";

    [Fact]
    public async Task Passwords_keys_and_passphrases_never_reach_the_database_file_in_clear()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<HostStore>();

        await store.AddAsync(Host("h1", HostAuthenticationKind.Password, secret: Password));
        await store.AddAsync(Host("h2", HostAuthenticationKind.Key, secret: PrivateKey, passphrase: Passphrase));

        var bytes = DatabaseBytes(factory.Services.GetRequiredService<DataDirectory>());
        foreach (var secret in new[] { Password, "secret-key-body-4412", Passphrase })
        {
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"'{secret}' found in clear in the database files");
            Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"'{secret}' found in clear (UTF-16) in the database files");
        }
    }

    [Fact]
    public async Task A_stored_host_comes_back_with_its_secrets_decrypted()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<HostStore>();
        var host = Host("h2", HostAuthenticationKind.Key, secret: PrivateKey, passphrase: Passphrase);

        await store.AddAsync(host);
        var found = await store.FindAsync("h2");

        Assert.Equal(host, found);
    }

    [Fact]
    public async Task Tunnel_and_peer_addresses_are_stored_changed_and_cleared_back_to_their_defaults()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<HostStore>();
        await store.AddAsync(Host("h1", HostAuthenticationKind.KeyPath) with { TunnelAddress = "10.0.0.5", PeerAddress = "203.0.113.80" });
        Assert.Equal(("10.0.0.5", "203.0.113.80", "203.0.113.80"), Addresses(await store.FindAsync("h1")));

        Assert.True(await store.SetAddressesAsync("h1", null, "203.0.113.81"));
        Assert.Equal((null, "203.0.113.81", "203.0.113.81"), Addresses(await store.FindAsync("h1")));

        Assert.True(await store.SetAddressesAsync("h1", null, null));
        var host = await store.FindAsync("h1");
        Assert.Equal((null, null, host!.Address), Addresses(host));
        Assert.False(await store.SetAddressesAsync("nope", null, null));

        static (string?, string?, string) Addresses(StoredHost? h) => (h!.TunnelAddress, h.PeerAddress, h.EffectivePeerAddress);
    }

    [Fact]
    public async Task Deleting_a_host_removes_it_and_reports_whether_it_existed()
    {
        using var factory = new DashboardFactory();
        var store = factory.Services.GetRequiredService<HostStore>();
        await store.AddAsync(Host("h1", HostAuthenticationKind.KeyPath));

        Assert.True(await store.DeleteAsync("h1"));
        Assert.False(await store.DeleteAsync("h1"));
        Assert.Empty(await store.ListAsync());
    }

    private static StoredHost Host(string id, HostAuthenticationKind kind, string? secret = null, string? passphrase = null) => new()
    {
        Id = id,
        Name = id,
        Address = "198.51.100.1",
        Port = 22,
        Username = "root",
        Authentication = kind,
        PrivateKeyPath = kind == HostAuthenticationKind.KeyPath ? "/root/.ssh/id_ed25519" : null,
        Secret = secret,
        Passphrase = passphrase,
        UseSudo = false,
        HostKeyFingerprint = "SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0a2V5Zm9ydGVzdHM",
        CreatedAt = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero),
    };

    private static byte[] DatabaseBytes(DataDirectory data) =>
        Directory.GetFiles(data.Path, "superbridge.db*").SelectMany(File.ReadAllBytes).ToArray();

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
