using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Superbridge.Operations;
using Superbridge.Ssh.Audit;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Segments.Support;

/// <summary>The whole dashboard in-process over <see cref="ScriptedHosts"/> h1..h3, every log message captured.</summary>
internal sealed class ScriptedDashboard : IAsyncDisposable
{
    private readonly DashboardFactory _factory = new();
    private readonly WebApplicationFactory<Program> _app;

    public ScriptedDashboard()
    {
        _app = _factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddLogging(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Trace));
            services.AddSingleton<IHostObserver>(Hosts);
            services.AddSingleton<IPathProber>(Hosts);
            services.AddSingleton(sp => Hosts.Executor(sp.GetRequiredService<IKeyStore>(), sp.GetRequiredService<IAuditSink>(), TimeProvider.System));
        }));
        Api = _app.CreateClient();
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardFactory.ApiToken);
    }

    public ScriptedHosts Hosts { get; } = new(3);
    public CapturedLog Log { get; } = new();
    public HttpClient Api { get; }
    public IServiceProvider Services => _app.Services;
    public string DataDirectory => _factory.DataDirectory;

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
