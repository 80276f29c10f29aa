using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Superbridge.Core.Commands;
using Superbridge.Core.Model;
using Superbridge.Ssh.Audit;
using Superbridge.Ssh.Execution;

namespace Superbridge.Ssh.Connections;

/// <summary>One authenticated SSH.NET client; commands are channels on it, at most <see cref="SshOptions.MaxParallelCommandsPerHost"/> at once.</summary>
internal sealed class SshHostSession : IHostConnection
{
    private readonly SshClient _client;
    private readonly IDisposable[] _keys;
    private readonly SshOptions _options;
    private readonly TimeProvider _time;
    private readonly IAuditSink _audit;
    /// <summary>How long past the host's own limit (and KILL) the channel waits before it is given up.</summary>
    private static readonly TimeSpan ChannelGrace = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _slots;
    private volatile bool _broken;
    private int _disposed;

    public SshHostSession(HostTarget target, SshClient client, IDisposable[] keys, HostKeyInfo hostKey, long connectionId,
        SshOptions options, TimeProvider time, IAuditSink audit)
    {
        Target = target;
        _client = client;
        _keys = keys;
        HostKey = hostKey;
        ConnectionId = connectionId;
        _options = options;
        _time = time;
        _audit = audit;
        _slots = new SemaphoreSlim(options.MaxParallelCommandsPerHost);
        _client.ErrorOccurred += (_, _) => _broken = true;
    }

    public HostTarget Target { get; }
    public HostId HostId => Target.Id;
    public HostEndpoint Endpoint => Target.Endpoint;
    public HostKeyInfo HostKey { get; }
    public long ConnectionId { get; }
    public bool IsConnected => Volatile.Read(ref _disposed) == 0 && !_broken && _client.IsConnected;

    public Task<CommandResult> RunAsync(Command command, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ExecuteAsync(command, script: null, options ?? RunOptions.Default, cancellationToken);
    }

    public Task<CommandResult> RunScriptAsync(string script, ScriptDelivery delivery = ScriptDelivery.StandardInput, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= RunOptions.Default;
        var command = RemoteCommandLine.ForScript(script, delivery, options.Environment);
        return ExecuteAsync(command, delivery == ScriptDelivery.StandardInput ? script : null, options, cancellationToken);
    }

    /// <summary>Runs <c>sudo -n -- true</c>: a sudo endpoint is usable only when sudo never asks for a password.</summary>
    public async Task VerifySudoAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(Command.Of("true"), RunOptions.Default, cancellationToken);
        }
        catch (CommandFailedException e)
        {
            throw new SshFailureException(new SshFailure(SshFailureReason.Other,
                $"{Endpoint.Username} logged in to {Endpoint.Address}, but `sudo -n true` failed (exit {e.Result.ExitCode}): {e.Result.StandardError.Trim()}")
            { PresentedKey = HostKey }, e);
        }
    }

    private async Task<CommandResult> ExecuteAsync(Command command, string? script, RunOptions options, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Keys exist only in what is sent; the audit keeps the script as given.
        var sent = script is not null && options.SecretValues is { } keys ? Core.Commands.SecretPlaceholders.Resolve(script, keys) : script;
        var stdin = sent is null ? null : Encoding.UTF8.GetBytes(sent.Length == 0 ? "\n" : sent);
        var timeout = options.Timeout ?? _options.CommandTimeout;
        var line = RemoteCommandLine.RenderForExec(command, Endpoint.UseSudo, writesStdin: stdin is not null, timeout);
        // The host's `timeout` stops the command; the channel is given up only if the host does not answer after that.
        var channelTimeout = TimeSpan.FromSeconds(RemoteCommandLine.RemoteSeconds(timeout)) + RemoteCommandLine.KillAfter + ChannelGrace;

        await _slots.WaitAsync(cancellationToken);
        var startTime = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        AuditEntry Entry(AuditOutcome outcome) => new()
        {
            HostId = HostId,
            Endpoint = Endpoint,
            StartTime = startTime,
            Argv = command.Argv,
            CommandLine = line,
            Script = script,
            Outcome = outcome,
            Duration = _time.GetElapsedTime(started),
            Tag = options.Audit,
        };

        CommandResult result;
        try
        {
            using var ssh = _client.CreateCommand(line);
            ssh.CommandTimeout = channelTimeout;
            // SSH.NET opens the channel and sends the exec request synchronously, blocking its caller until the host
            // answers (two round trips). On the thread pool, a hundred of those at once starve it: commands then wait
            // tens of seconds for a thread, not for the host. A dedicated thread per start keeps the pool free.
            var execution = await Task.Factory.StartNew(
                () => ssh.ExecuteAsync(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var streamed = options.OnOutputLine is { } onLine ? OutputLines.ReadAsync(ssh.OutputStream, onLine) : null;
            if (stdin is not null)
            {
                // Disposing the stream sends EOF (only after a non-empty write, hence the newline for an empty script).
                await using var input = ssh.CreateInputStream();
                await input.WriteAsync(stdin, cancellationToken);
            }
            await execution;
            var standardOutput = streamed is null ? ssh.Result : await streamed;

            var runTime = _time.GetElapsedTime(started);
            result = new CommandResult
            {
                ExitCode = ssh.ExitStatus ?? -1,
                ExitSignal = ssh.ExitStatus is null ? ssh.ExitSignal ?? "unknown" : null,
                StandardOutput = standardOutput,
                StandardError = ssh.Error,
                StartTime = startTime,
                ExitTime = startTime + runTime,
                RunTime = runTime,
                CommandLine = line,
            };
        }
        catch (SshOperationTimeoutException e)
        {
            await _audit.RecordAsync(Entry(AuditOutcome.TimedOut) with { Error = e.Message }, CancellationToken.None);
            throw new SshFailureException(new SshFailure(SshFailureReason.Timeout,
                $"`{line}` on {Endpoint} did not answer within {channelTimeout.TotalSeconds:0.#} s, though the host's `timeout` stops it after " +
                $"{RemoteCommandLine.RemoteSeconds(timeout)} s (KILL {RemoteCommandLine.KillAfter.TotalSeconds:0} s later); its channel was closed.") { PresentedKey = HostKey }, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _audit.RecordAsync(Entry(AuditOutcome.Cancelled), CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is SshConnectionException or SocketException or ObjectDisposedException or SshException)
        {
            _broken = true;
            await _audit.RecordAsync(Entry(AuditOutcome.Failed) with { Error = e.Message }, CancellationToken.None);
            throw new SshFailureException(new SshFailure(SshFailureReason.Other,
                $"Lost the connection to {Endpoint} while running `{line}`: {e.Message}") { PresentedKey = HostKey }, e);
        }
        finally
        {
            _slots.Release();
        }

        if (RemoteCommandLine.StoppedByTimeout(result.ExitCode, result.ExitSignal, result.RunTime, timeout))
        {
            var how = result.ExitCode == 124
                ? "TERM, exit 124"
                : $"KILL {RemoteCommandLine.KillAfter.TotalSeconds:0} s after TERM did not end it, {(result.ExitSignal is null ? $"exit {result.ExitCode}" : "signal " + result.ExitSignal)}";
            var message = $"`{line}` on {Endpoint} did not finish within {RemoteCommandLine.RemoteSeconds(timeout)} s; the host's `timeout` stopped it ({how}).";
            await _audit.RecordAsync(Entry(AuditOutcome.TimedOut) with
            {
                ExitCode = result.ExitCode,
                StandardOutput = result.StandardOutput,
                StandardError = result.StandardError,
                Duration = result.RunTime,
                Error = message,
            }, CancellationToken.None);
            throw new SshFailureException(new SshFailure(SshFailureReason.Timeout, message) { PresentedKey = HostKey });
        }

        await _audit.RecordAsync(Entry(AuditOutcome.Exited) with
        {
            ExitCode = result.ExitCode,
            StandardOutput = result.StandardOutput,
            StandardError = result.StandardError,
            Duration = result.RunTime,
        }, CancellationToken.None);

        if (Endpoint.UseSudo && RemoteCommandLine.IsSudoPasswordRefusal(result.ExitCode, result.StandardError))
        {
            throw new SshFailureException(new SshFailure(SshFailureReason.SudoNeedsPassword,
                $"{Endpoint.Username} logged in to {Endpoint.Address}, but sudo asks for a password (sudo -n refused: \"{result.StandardError.Trim()}\"). " +
                $"Give {Endpoint.Username} passwordless sudo (e.g. `{Endpoint.Username} ALL=(ALL) NOPASSWD: ALL` in /etc/sudoers.d/superbridge) or log in as root.")
            { PresentedKey = HostKey });
        }
        if (!result.IsSuccess && !options.AllowNonZeroExit) throw new CommandFailedException(Endpoint, result);
        return result;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        try
        {
            if (_client.IsConnected) _client.Disconnect();
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone: nothing to say goodbye to.
        }
        _client.Dispose();
        foreach (var key in _keys) key.Dispose();
        _slots.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Endpoint} #{ConnectionId}";
}
