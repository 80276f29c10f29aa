using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Superbridge.Web.Configuration;
using Superbridge.Web.Storage;

namespace Superbridge.Web;

/// <summary>Every registration of the web app in one place, with deliberate lifetimes.</summary>
public static class WebServiceCollectionExtensions
{
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

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddOpenApi();
        return services;
    }
}
