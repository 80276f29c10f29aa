namespace Superbridge.Web.Configuration;

/// <summary>The <c>Superbridge</c> section of the root appsettings.json.</summary>
public sealed class SuperbridgeOptions
{
    public const string SectionName = "Superbridge";

    /// <summary>Where the SQLite database and Data Protection keys live; relative paths are taken from the repository root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Bearer token for the REST API; none configured means the API answers 401.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The admin password; when empty a strong one is generated on first start and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>SSH connect timeout in seconds.</summary>
    public int SshConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>SSH per-command timeout in seconds.</summary>
    public int SshCommandTimeoutSeconds { get; set; } = 60;

    /// <summary>Hosts of one operation whose steps run at the same time.</summary>
    public int MaxParallelHosts { get; set; } = 32;
}
