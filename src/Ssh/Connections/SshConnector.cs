using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using Superbridge.Ssh.Audit;

namespace Superbridge.Ssh.Connections;

/// <summary>
/// Opens SSH.NET connections and turns SSH.NET's exceptions into <see cref="SshFailure"/> (the one place that does).
/// The host key is decided inside the key exchange, before any authentication, so a refused key means
/// the credentials were never sent and nothing ran.
/// </summary>
public sealed class SshConnector : ISshConnector
{
    private static long s_connectionIds;

    private readonly SshOptions _options;
    private readonly TimeProvider _time;
    private readonly IAuditSink _audit;

    public SshConnector(SshOptions options, TimeProvider timeProvider, IAuditSink auditSink)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _audit = auditSink ?? throw new ArgumentNullException(nameof(auditSink));
    }

    public SshOptions Options => _options;

    public async Task<HostKeyInfo> ProbeHostKeyAsync(HostEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var observer = new HostKeyObserver(HostKeyPolicy.ProbeOnly);
        using var client = CreateClient(endpoint, [new NoneAuthenticationMethod(endpoint.Username)], observer);
        try
        {
            await ConnectWithinTimeoutAsync(client, cancellationToken);
        }
        catch (Exception e) when (observer.Presented is { } key && !cancellationToken.IsCancellationRequested)
        {
            _ = e; // The refusal of the key is how a probe ends.
            return key;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new SshFailureException(Classify(e, endpoint, observer), e);
        }
        throw new SshFailureException(new SshFailure(SshFailureReason.Other, $"{endpoint} completed a connection without showing a host key."));
    }

    public async Task<IHostConnection> ConnectAsync(HostTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var endpoint = target.Endpoint;
        var (methods, keys) = CreateAuthentication(endpoint, target.Credentials);
        var observer = new HostKeyObserver(target.HostKey);
        var client = CreateClient(endpoint, methods, observer);
        try
        {
            await ConnectWithinTimeoutAsync(client, cancellationToken);
        }
        catch (Exception e)
        {
            client.Dispose();
            DisposeAll(keys);
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw new SshFailureException(Classify(e, endpoint, observer), e);
        }

        client.KeepAliveInterval = _options.KeepAliveInterval;
        var session = new SshHostSession(target, client, keys, observer.Presented!, Interlocked.Increment(ref s_connectionIds), _options, _time, _audit);
        if (endpoint.UseSudo)
        {
            try
            {
                await session.VerifySudoAsync(cancellationToken);
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }
        return session;
    }

    private SshClient CreateClient(HostEndpoint endpoint, AuthenticationMethod[] methods, HostKeyObserver observer)
    {
        var info = new ConnectionInfo(endpoint.Address, endpoint.Port, endpoint.Username, methods)
        {
            Timeout = _options.ConnectTimeout,
            Encoding = Encoding.UTF8,
        };
        var client = new SshClient(info);
        client.HostKeyReceived += observer.OnHostKeyReceived;
        return client;
    }

    /// <summary>
    /// Bounded by the connect timeout whatever SSH.NET does inside, so one silent host never holds up the others.
    /// SSH.NET's ConnectAsync awaits only the TCP connect and the version exchange: the key exchange and the login
    /// then block the thread it continues on, the thread pool's. Thirty hosts connecting at once on 2 cores then
    /// wait for pool threads, not for their hosts, and time out (seen in the lab). So the whole connect runs
    /// synchronously on a thread of its own; on a timeout it is abandoned and the caller disposes the client.
    /// </summary>
    private async Task ConnectWithinTimeoutAsync(SshClient client, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var connecting = Task.Factory.StartNew(client.Connect, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await connecting.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _ = connecting.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw new SshOperationTimeoutException($"No SSH answer within {_options.ConnectTimeout.TotalSeconds:0.#} s.");
        }
    }

    private static (AuthenticationMethod[] Methods, IDisposable[] Keys) CreateAuthentication(HostEndpoint endpoint, HostCredentials credentials)
    {
        switch (credentials)
        {
            case HostCredentials.Password password:
                return ([new PasswordAuthenticationMethod(endpoint.Username, password.Secret)], []);
            case HostCredentials.KeyFile file:
                {
                    var key = ReadKey(endpoint, () => file.Passphrase is null ? new PrivateKeyFile(file.Path) : new PrivateKeyFile(file.Path, file.Passphrase), $"the private key file {file.Path}");
                    return ([new PrivateKeyAuthenticationMethod(endpoint.Username, key)], [key]);
                }
            case HostCredentials.KeyText text:
                {
                    var key = ReadKey(endpoint, () =>
                    {
                        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(NormalizePastedKey(text.PrivateKey)));
                        return text.Passphrase is null ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, text.Passphrase);
                    }, "the pasted private key");
                    return ([new PrivateKeyAuthenticationMethod(endpoint.Username, key)], [key]);
                }
            default:
                throw new ArgumentException($"Unknown credentials {credentials}.", nameof(credentials));
        }
    }

    /// <summary>Pasted keys arrive with Windows line ends or surrounding blank lines; the parser wants neither.</summary>
    private static string NormalizePastedKey(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n').Trim() + "\n";

    private static PrivateKeyFile ReadKey(HostEndpoint endpoint, Func<PrivateKeyFile> read, string what)
    {
        try
        {
            return read();
        }
        catch (SshPassPhraseNullOrEmptyException e)
        {
            throw Failure(SshFailureReason.AuthFailed, $"Cannot log in to {endpoint}: {what} is encrypted and no passphrase was given.", e);
        }
        catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or CryptographicException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw Failure(SshFailureReason.AuthFailed, $"Cannot log in to {endpoint}: {what} could not be read (wrong passphrase, or not an OpenSSH/PEM private key): {e.Message}", e);
        }
    }

    private SshFailure Classify(Exception e, HostEndpoint endpoint, HostKeyObserver observer)
    {
        if (observer.Refused is { } presented)
        {
            return observer.Policy switch
            {
                HostKeyPolicy.Pinned pinned => new SshFailure(SshFailureReason.HostKeyChanged,
                    $"The host key of {endpoint} has changed: the pinned key is {pinned.Fingerprint}, the host presented {presented.Fingerprint} ({presented.Algorithm}). " +
                    "The connection was refused before logging in. If the host was reinstalled, confirm the new key; otherwise someone may be intercepting the connection.")
                {
                    PresentedKey = presented,
                    ExpectedFingerprint = pinned.Fingerprint,
                },
                _ => new SshFailure(SshFailureReason.HostKeyUnconfirmed,
                    $"The host key of {endpoint} is not confirmed yet: the host presented {presented.Fingerprint} ({presented.Algorithm}). " +
                    "Compare it with `ssh-keygen -lf` of the host's key on the host itself, then confirm it.")
                {
                    PresentedKey = presented,
                },
            };
        }

        var at = $"{endpoint.Address}:{endpoint.Port}";
        var failure = e switch
        {
            SshFailureException known => known.Failure,
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                new SshFailure(SshFailureReason.Refused, $"Connection to {at} refused: nothing listens on port {endpoint.Port} (is sshd running there?)."),
            SocketException { SocketErrorCode: SocketError.TimedOut } or SshOperationTimeoutException or OperationCanceledException =>
                new SshFailure(SshFailureReason.Timeout, $"No answer from {at} within {_options.ConnectTimeout.TotalSeconds:0.#} s: the host is down, unreachable, or a firewall drops the traffic."),
            SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } =>
                new SshFailure(SshFailureReason.Other, $"No route to {at}: {e.Message}"),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } =>
                new SshFailure(SshFailureReason.Other, $"Cannot resolve the host name {endpoint.Address}: {e.Message}"),
            SshAuthenticationException =>
                new SshFailure(SshFailureReason.AuthFailed, $"{at} refused the login as {endpoint.Username}: {e.Message} Check the user name and the password or key."),
            SocketException =>
                new SshFailure(SshFailureReason.Other, $"Cannot connect to {at}: {e.Message}"),
            SshConnectionException =>
                new SshFailure(SshFailureReason.Other, $"The SSH connection to {at} failed: {e.Message}"),
            _ => new SshFailure(SshFailureReason.Other, $"Cannot connect to {endpoint}: {e.GetType().Name}: {e.Message}"),
        };
        return failure.PresentedKey is null && observer.Presented is { } key ? failure with { PresentedKey = key } : failure;
    }

    private static SshFailureException Failure(SshFailureReason reason, string message, Exception? inner = null) => new(new SshFailure(reason, message), inner);

    private static void DisposeAll(IDisposable[] disposables)
    {
        foreach (var d in disposables) d.Dispose();
    }

    /// <summary>Sees the key in the key exchange and decides by the policy; remembers what it saw and what it refused.</summary>
    private sealed class HostKeyObserver(HostKeyPolicy policy)
    {
        public HostKeyPolicy Policy { get; } = policy;
        public HostKeyInfo? Presented { get; private set; }
        public HostKeyInfo? Refused { get; private set; }

        public void OnHostKeyReceived(object? sender, HostKeyEventArgs e)
        {
            var key = new HostKeyInfo(e.HostKeyName, e.KeyLength, HostKeyFingerprint.Parse(e.FingerPrintSHA256));
            Presented = key;
            var accepted = Policy.Accepts(key.Fingerprint);
            if (!accepted) Refused = key;
            e.CanTrust = accepted;
        }
    }
}
