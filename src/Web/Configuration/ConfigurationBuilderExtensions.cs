using Microsoft.Extensions.Configuration.Json;

namespace Superbridge.Web.Configuration;

internal static class ConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds the repository's appsettings.json right after the project's own JSON files, so that
    /// environment variables and command-line arguments still override it.
    /// </summary>
    public static void AddRepositorySettings(this ConfigurationManager configuration, RepositoryLayout layout)
    {
        var file = layout.SettingsFile;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"Settings file {file} does not exist.", file);
        }
        var source = new JsonConfigurationSource { Path = file, Optional = false, ReloadOnChange = true };
        source.ResolveFileProvider();
        var lastJson = -1;
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
        }
        var insertAt = lastJson >= 0 ? lastJson + 1 : 0;
        configuration.Sources.Insert(insertAt, source);
    }
}
