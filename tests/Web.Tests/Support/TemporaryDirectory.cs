namespace Superbridge.Web.Tests.Support;

/// <summary>A scratch folder under the system temp dir, deleted on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("superbridge-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process we started may still hold a file for a moment; the temp folder is cleaned by the OS later.
        }
    }
}
