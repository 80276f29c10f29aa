using System.Runtime.CompilerServices;

namespace Superbridge.Core.Tests.Observed;

/// <summary>
/// Reads captured outputs from tests/Core.Tests/Fixtures without copying them to the output folder: the folder is
/// found from this source file's path, or, when the compiler's path map hides it, by walking up from the test binary.
/// </summary>
internal static class FixtureFiles
{
    private static readonly Lazy<string> Root = new(() => Locate());

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static string PathOf(string relativePath)
    {
        var path = Path.Combine(Root.Value, relativePath);
        return File.Exists(path) ? path : throw new FileNotFoundException($"No fixture {relativePath} under {Root.Value}.", path);
    }

    private static string Locate([CallerFilePath] string thisFile = "")
    {
        var fromSource = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile) ?? "", "..", "Fixtures"));
        if (Directory.Exists(fromSource)) return fromSource;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Core.Tests", "Fixtures");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "Fixtures");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new DirectoryNotFoundException($"Cannot find the Fixtures folder from {thisFile} or {AppContext.BaseDirectory}.");
    }
}
