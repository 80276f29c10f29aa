namespace Superbridge.Web.Configuration;

/// <summary>
/// Finds the repository root (the folder holding Dashboard.sln), where the one user-edited
/// appsettings.json and the wwwroot-assets folder live, whatever the working directory.
/// </summary>
public sealed record RepositoryLayout(string Root)
{
    public const string SettingsFileVariable = "SUPERBRIDGE_SETTINGS";

    /// <summary>The settings file: <c>SUPERBRIDGE_SETTINGS</c> when set, otherwise the root appsettings.json.</summary>
    public string SettingsFile =>
        Environment.GetEnvironmentVariable(SettingsFileVariable) is { Length: > 0 } custom
            ? Path.GetFullPath(custom)
            : Path.Combine(Root, "appsettings.json");

    public string AssetsDirectory => Path.Combine(Root, "wwwroot-assets");

    public string ResolveFromRoot(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));

    public static RepositoryLayout Locate(params string[] startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
                {
                    return new RepositoryLayout(dir.FullName);
                }
            }
        }
        throw new InvalidOperationException(
            $"Could not find Dashboard.sln above {string.Join(" or ", startDirectories)}; run the dashboard from the Superbridge repository.");
    }
}
