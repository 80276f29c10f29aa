using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Superbridge.Ssh;
using Superbridge.Operations;
using Superbridge.Ssh.Apply;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Connections;
using Superbridge.Ssh.Inventory;
using Superbridge.Ssh.Paths;
using Superbridge.Web.Api;
using Superbridge.Web.Audit;
using Superbridge.Web.Authentication;
using Superbridge.Web.Configuration;
using Superbridge.Web.Drift;
using Superbridge.Web.Hosts;
using Superbridge.Web.Inventory;
using Superbridge.Web.Segments;
using Superbridge.Web.Storage;
using Superbridge.Web.Topology;

namespace Superbridge.Web;

/// <summary>Every registration of the web app in one place, with deliberate lifetimes.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>The REST API authenticates by bearer token only.</summary>
    public const string ApiPolicy = "Api";

    public static IServiceCollection AddSuperbridgeWeb(this IServiceCollection services, IConfiguration configuration, RepositoryLayout layout)
    {
        services.AddSingleton(layout);
        services.AddOptions<SuperbridgeOptions>().Bind(configuration.GetSection(SuperbridgeOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SuperbridgeOptions>, SuperbridgeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        // Resolved from the bound options, not read eagerly, so test hosts and the environment can override it.
        services.AddSingleton(sp => new DataDirectory(layout.ResolveFromRoot(sp.GetRequiredService<IOptions<SuperbridgeOptions>>().Value.DataDirectory)));
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<SchemaMigrator>();
        services.AddDataProtection().SetApplicationName("Superbridge");
        services.AddOptions<KeyManagementOptions>().Configure<DataDirectory, ILoggerFactory>((keys, data, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(data.KeysDirectory), loggers));

        services.AddSingleton<HostSecretProtector>();
        services.AddSingleton<HostStore>();
        services.AddSingleton<SegmentStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<IAuditSink, DatabaseAuditSink>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SuperbridgeOptions>>().Value;
            var ssh = SshOptions.Default with
            {
                ConnectTimeout = TimeSpan.FromSeconds(options.SshConnectTimeoutSeconds),
                CommandTimeout = TimeSpan.FromSeconds(options.SshCommandTimeoutSeconds),
            };
            return SshConnectionPool.Create(ssh, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IAuditSink>());
        });
        services.AddSingleton<HostRegistrationService>();
        services.AddSingleton<HostAddressEditor>();
        services.AddSingleton<HostLocks>();
        services.AddSingleton<SegmentLocks>();
        services.AddSingleton<OperationHub>();
        services.AddSingleton<OperationJournal>();
        services.AddSingleton<IOperationJournal>(sp => sp.GetRequiredService<OperationJournal>());
        services.AddSingleton<ISegmentRepository>(sp => sp.GetRequiredService<SegmentStore>());
        services.AddSingleton<IHostObserver, DashboardHostObserver>();
        services.AddSingleton<IHostTargetSource, StoredHostTargets>();
        services.AddSingleton<IKeyStore, IpsecKeyStore>();
        services.AddSingleton<IPlanExecutor>(sp => new SshPlanExecutor(
            sp.GetRequiredService<SshConnectionPool>(), sp.GetRequiredService<IHostTargetSource>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IKeyStore>()));
        services.AddSingleton<IPathProber>(sp => new SshPathProber(sp.GetRequiredService<SshConnectionPool>(), sp.GetRequiredService<IHostTargetSource>()));
        services.AddSingleton(sp => new PathMtuMeter(sp.GetRequiredService<IPathProber>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SegmentService(
            sp.GetRequiredService<ISegmentRepository>(), sp.GetRequiredService<IOperationJournal>(), sp.GetRequiredService<IHostObserver>(),
            sp.GetRequiredService<IPlanExecutor>(), sp.GetRequiredService<SegmentLocks>(), sp.GetRequiredService<HostLocks>(),
            sp.GetRequiredService<OperationHub>(), sp.GetRequiredService<TimeProvider>(),
            ApplyOptions.Default with { MaxParallelHosts = sp.GetRequiredService<IOptions<SuperbridgeOptions>>().Value.MaxParallelHosts },
            sp.GetRequiredService<IKeyStore>(), sp.GetRequiredService<PathMtuMeter>()));
        services.AddHostedService<OperationLifetime>();
        services.AddSingleton<TopologyData>();
        services.AddSingleton<HostDriftService>();
        services.AddSingleton<LeaseWatcher>();
        services.AddSingleton<ISegmentRunner, SegmentRunner>();
        services.AddSingleton<IHostRegistrar, HostRegistrar>();
        services.TryAddSingleton(sp => new HostInventoryService(sp.GetRequiredService<SshConnectionPool>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHostInventorySource, SshHostInventorySource>();
        services.AddSingleton<HostStatusBoard>();
        services.AddSingleton<AdminAccountStore>();
        services.AddSingleton<AdminAccountInitializer>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<SignInSessionStore>();
        services.AddAuthentication(ApiOrCookieScheme.Name)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.Cookie.Name = "superbridge.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the dashboard is reached over HTTPS (behind a TLS proxy: forward the scheme).
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = SignInSessionStore.Lifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = SessionCookieValidation.ValidateAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddApiOrCookieScheme();
        services.AddAuthorizationBuilder()
            // Everything requires a signed-in user unless an endpoint says otherwise.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();

        services.AddRazorComponents().AddInteractiveServerComponents();
        // After the framework's own provider, so circuits use this one: they revalidate their sign-in session.
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        // Bottom right: page actions sit top right, and a result must not cover the next button the operator needs.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<BearerSecurityTransformer>().AddOperationTransformer<BearerSecurityTransformer>());
        return services;
    }
}
