namespace Superbridge.Web.Storage;

/// <summary>
/// Held for the life of the process: a second dashboard on the same data folder would run operations on the same
/// hosts under separate locks and mark the first one's operations interrupted, so it refuses to start.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock; throws <see cref="IOException"/> with a message saying what to do when another process holds it.</summary>
    public static DataDirectoryLock Acquire(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(data.Path, "superbridge.lock");
        try
        {
            // FileShare.None is an exclusive advisory lock on Unix: the kernel drops it when the process dies.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            file.Write(pid);
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException e)
        {
            throw new IOException(
                $"Another Superbridge dashboard is using the data folder {data.Path} (lock file {path}). Stop it, or give this one its own " +
                "Superbridge:DataDirectory.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
