using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Superbridge.Web.Tests.Support;

/// <summary>The real web app in-process, with its data folder redirected to a scratch directory.</summary>
public sealed class DashboardFactory : WebApplicationFactory<Program>
{
    private readonly TemporaryDirectory _data = new();

    public const string AdminPassword = "correct-horse-battery-staple";
    public const string ApiToken = "test-api-token-0123456789abcdef";

    public string DataDirectory => _data.Path;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Superbridge:DataDirectory", _data.Path);
        builder.UseSetting("Superbridge:AdminPassword", AdminPassword);
        builder.UseSetting("Superbridge:ApiToken", ApiToken);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
