using Microsoft.Extensions.DependencyInjection;
using Superbridge.Core.Commands;
using Superbridge.Operations;
using Superbridge.Web.Storage;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Segments;

public sealed class IpsecKeyStoreTests
{
    [Fact]
    public async Task A_key_is_256_random_bits_made_once_per_name_and_kept_encrypted()
    {
        using var factory = new DashboardFactory();
        var keys = factory.Services.GetRequiredService<IKeyStore>();

        var first = await keys.GetOrCreateAsync(["lan.0a1b2c3d", "lan.99999999"], CancellationToken.None);
        var again = await keys.GetOrCreateAsync(["lan.0a1b2c3d"], CancellationToken.None);

        var key = first["lan.0a1b2c3d"];
        Assert.StartsWith("0s", key, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(key[2..]).Length);
        Assert.Equal(key, again["lan.0a1b2c3d"]);
        Assert.NotEqual(key, first["lan.99999999"]);

        // The key's base64 is in neither the database file nor its write-ahead log.
        var file = factory.Services.GetRequiredService<DataDirectory>().DatabaseFile;
        var text = string.Concat(new[] { file, file + "-wal" }.Where(File.Exists)
            .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.DoesNotContain(key[2..], text, StringComparison.Ordinal);
        Assert.Contains("lan.0a1b2c3d", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staged_key_is_new_and_kept_beside_the_old_one_until_promoted_or_discarded()
    {
        using var factory = new DashboardFactory();
        var keys = factory.Services.GetRequiredService<IKeyStore>();
        const string name = "lan.0a1b2c3d";
        var staged = SecretPlaceholders.Staged(name);
        var old = (await keys.GetOrCreateAsync([name], CancellationToken.None))[name];

        await keys.StageAsync(name, CancellationToken.None);
        var both = await keys.GetOrCreateAsync([name, staged], CancellationToken.None);
        Assert.Equal(old, both[name]);
        Assert.NotEqual(old, both[staged]);
        Assert.Equal(32, Convert.FromBase64String(both[staged][2..]).Length);

        await keys.DiscardAsync(name, CancellationToken.None);
        Assert.Equal(old, (await keys.GetOrCreateAsync([name], CancellationToken.None))[name]);
        Assert.NotEqual(both[staged], (await keys.GetOrCreateAsync([staged], CancellationToken.None))[staged]); // gone: asking makes another

        await keys.StageAsync(name, CancellationToken.None);
        var next = (await keys.GetOrCreateAsync([staged], CancellationToken.None))[staged];
        await keys.PromoteAsync(name, CancellationToken.None);
        Assert.Equal(next, (await keys.GetOrCreateAsync([name], CancellationToken.None))[name]);
    }
}
