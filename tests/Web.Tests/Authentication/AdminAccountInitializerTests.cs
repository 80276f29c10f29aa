using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Superbridge.Web.Authentication;
using Superbridge.Web.Configuration;
using Superbridge.Web.Storage;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Authentication;

public sealed class AdminAccountInitializerTests
{
    [Fact]
    public async Task First_start_without_a_configured_password_prints_a_generated_one_once_and_stores_only_its_hash()
    {
        using var scratch = new TemporaryDirectory();
        var store = await NewStoreAsync(scratch.Path);
        var initializer = new AdminAccountInitializer(store, Options.Create(new SuperbridgeOptions()), NullLogger<AdminAccountInitializer>.Instance);
        var firstConsole = new StringWriter();
        var secondConsole = new StringWriter();

        var generated = await initializer.EnsureAdminAsync(firstConsole);
        var again = await initializer.EnsureAdminAsync(secondConsole);

        Assert.NotNull(generated);
        Assert.True(generated.Length >= 24);
        Assert.Contains(generated, firstConsole.ToString());
        Assert.Null(again);
        Assert.Equal("", secondConsole.ToString());
        var hash = await store.GetPasswordHashAsync("admin");
        Assert.DoesNotContain(generated, hash);
        Assert.True(PasswordHasher.Verify(generated, hash!));
        Assert.DoesNotContain(generated, Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(scratch.Path, "superbridge.db"))));
    }

    [Fact]
    public async Task A_configured_password_replaces_the_stored_one_and_prints_nothing()
    {
        using var scratch = new TemporaryDirectory();
        var store = await NewStoreAsync(scratch.Path);
        await new AdminAccountInitializer(store, Options.Create(new SuperbridgeOptions()), NullLogger<AdminAccountInitializer>.Instance)
            .EnsureAdminAsync(TextWriter.Null);
        var console = new StringWriter();

        var printed = await new AdminAccountInitializer(store, Options.Create(new SuperbridgeOptions { AdminPassword = "chosen-by-operator" }), NullLogger<AdminAccountInitializer>.Instance)
            .EnsureAdminAsync(console);

        Assert.Null(printed);
        Assert.Equal("", console.ToString());
        Assert.True(PasswordHasher.Verify("chosen-by-operator", (await store.GetPasswordHashAsync("admin"))!));
    }

    [Fact]
    public async Task A_configured_password_shorter_than_twelve_characters_stops_the_start_naming_the_setting()
    {
        using var scratch = new TemporaryDirectory();
        var store = await NewStoreAsync(scratch.Path);
        var initializer = new AdminAccountInitializer(store, Options.Create(new SuperbridgeOptions { AdminPassword = "admin123" }), NullLogger<AdminAccountInitializer>.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => initializer.EnsureAdminAsync(new StringWriter()));

        Assert.Equal("Superbridge:AdminPassword has 8 characters; at least 12 are needed.", error.Message);
        Assert.Null(await store.GetPasswordHashAsync("admin"));
    }

    private static async Task<AdminAccountStore> NewStoreAsync(string path)
    {
        var data = new DataDirectory(path);
        data.EnsureCreated();
        var connections = new SqliteConnectionFactory(data);
        await new SchemaMigrator(connections, TimeProvider.System, NullLogger<SchemaMigrator>.Instance).MigrateAsync(SchemaMigrations.All);
        return new AdminAccountStore(connections, TimeProvider.System);
    }
}
