using System.Text;
using System.Threading.Channels;

namespace Superbridge.Ssh.Execution;

/// <summary>
/// Reads a command's standard output line by line while it runs. SSH.NET's output stream only blocks (no true async
/// read), so it is read on a dedicated thread and the lines are handed to the async callback in order.
/// </summary>
internal static class OutputLines
{
    /// <returns>The whole output, once the stream has ended.</returns>
    public static async Task<string> ReadAsync(Stream output, Func<string, ValueTask> onLine)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var all = new StringBuilder();
        var reading = Task.Factory.StartNew(() =>
        {
            try
            {
                using var reader = new StreamReader(output, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                var buffer = new char[8192];
                var pending = new StringBuilder();
                int read;
                while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
                {
                    all.Append(buffer, 0, read);
                    for (var i = 0; i < read; i++)
                    {
                        if (buffer[i] == '\n')
                        {
                            lines.Writer.TryWrite(pending.ToString());
                            pending.Clear();
                        }
                        else
                        {
                            pending.Append(buffer[i]);
                        }
                    }
                }
                if (pending.Length > 0) lines.Writer.TryWrite(pending.ToString());
                lines.Writer.TryComplete();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                lines.Writer.TryComplete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await foreach (var line in lines.Reader.ReadAllAsync())
            await onLine(line);
        await reading;
        return all.ToString();
    }
}
