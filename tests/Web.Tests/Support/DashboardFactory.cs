using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Superbridge.Web.Tests.Support;

/// <summary>The real web app in-process, with its data folder redirected to a scratch directory.</summary>
public sealed class DashboardFactory : WebApplicationFactory<Program>
{
    private readonly TemporaryDirectory _data = new();

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Superbridge:DataDirectory", _data.Path);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
