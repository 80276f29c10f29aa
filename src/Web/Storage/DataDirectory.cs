namespace Superbridge.Web.Storage;

/// <summary>The folder holding the SQLite database and the Data Protection key ring.</summary>
public sealed record DataDirectory(string Path)
{
    public string DatabaseFile => System.IO.Path.Combine(Path, "superbridge.db");

    public string KeysDirectory => System.IO.Path.Combine(Path, "keys");

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Path);
        Directory.CreateDirectory(KeysDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // Keys and encrypted secrets: readable by the dashboard's user only.
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(KeysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
