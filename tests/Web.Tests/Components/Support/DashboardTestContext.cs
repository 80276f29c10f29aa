using Superbridge.Operations;
using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using Superbridge.Web.Audit;
using Superbridge.Web.Drift;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Storage;
using Superbridge.Web.Tests.Support;
using Superbridge.Web.Topology;

namespace Superbridge.Web.Tests.Components.Support;

/// <summary>
/// The shared bUnit context: MudBlazor services, loose JS interop, a fixed clock, the real stores on a scratch
/// SQLite database, the real <see cref="HostStatusBoard"/> fed by <see cref="FakeHostInventorySource"/> with the real
/// <see cref="TopologyData"/> and <see cref="HostDriftService"/> reading them, and <see cref="FakeHostRegistrar"/> instead of SSH.
/// </summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    private readonly TemporaryDirectory _data = new();

    protected DashboardTestContext()
    {
        DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        var data = new DataDirectory(_data.Path);
        data.EnsureCreated();
        var connections = new SqliteConnectionFactory(data);
        new SchemaMigrator(connections, Time, NullLogger<SchemaMigrator>.Instance).MigrateAsync(SchemaMigrations.All).GetAwaiter().GetResult();
        Services.AddSingleton(data);
        Services.AddSingleton(connections);
        Services.AddSingleton(new HostSecretProtector(new EphemeralDataProtectionProvider()));
        Services.AddSingleton<HostStore>();
        Services.AddSingleton<HostAddressEditor>();
        Services.AddSingleton<AuditStore>();
        Services.AddSingleton<OperationJournal>();
        Services.AddSingleton<SegmentStore>();
        Services.AddSingleton<IHostInventorySource>(Inventory);
        Services.AddSingleton<HostStatusBoard>();
        Services.AddSingleton<TopologyData>();
        Services.AddSingleton<HostDriftService>();
        Services.AddSingleton<FakeHostRegistrar>();
        Services.AddSingleton<IHostRegistrar>(sp => sp.GetRequiredService<FakeHostRegistrar>());
    }

    protected FixedTimeProvider Time { get; } = new();
    protected FakeHostInventorySource Inventory { get; } = new();
    protected HostStore Hosts => Services.GetRequiredService<HostStore>();
    protected AuditStore Audit => Services.GetRequiredService<AuditStore>();
    protected OperationJournal Journal => Services.GetRequiredService<OperationJournal>();

    /// <summary>Stores an operation of <paramref name="segment"/> that ended as <paramref name="status"/>; returns its id.</summary>
    protected async Task<long> RecordOperationAsync(string segment, OperationStatus status, string? error = null,
        SegmentOperationKind kind = SegmentOperationKind.Apply, string user = "admin")
    {
        var operation = await Journal.QueueAsync(kind, segment, user, null);
        await Journal.MarkRunningAsync(operation.Id);
        if (status.IsFinished()) await Journal.FinishAsync(operation.Id, status, null, error);
        return operation.Id;
    }
    protected HostStatusBoard Board => Services.GetRequiredService<HostStatusBoard>();
    protected FakeHostRegistrar Registrar => Services.GetRequiredService<FakeHostRegistrar>();

    /// <summary>Where snackbars show, once <see cref="RenderProviders"/> ran.</summary>
    protected IRenderedComponent<MudSnackbarProvider>? Snackbars { get; private set; }

    /// <summary>Dialogs, popovers (selects, tooltips) and snackbars render into these providers.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        Snackbars = Render<MudSnackbarProvider>();
        return Render<MudDialogProvider>();
    }

    protected Task AddHostAsync(string id, string address = "198.51.100.1", bool sudo = false, string user = "root", string? peerAddress = null) =>
        Hosts.AddAsync(new StoredHost
        {
            Id = id,
            Name = id,
            Address = address,
            PeerAddress = peerAddress,
            Username = user,
            UseSudo = sudo,
            Authentication = HostAuthenticationKind.KeyPath,
            PrivateKeyPath = "/root/.ssh/id_ed25519",
            HostKeyFingerprint = FakeHostRegistrar.Fingerprint,
            CreatedAt = FixedTimeProvider.Start,
        });

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor has services that only dispose asynchronously; xunit 2 calls this before Dispose (then a no-op).
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}
