namespace Superbridge.Ssh;

/// <summary>Why a host could not be used. Shown to the operator; each has a message that says what to do.</summary>
public enum SshFailureReason
{
    /// <summary>Nothing listens on the port (TCP reset).</summary>
    Refused,
    /// <summary>No answer within the connect timeout, or a command ran past its timeout.</summary>
    Timeout,
    /// <summary>The server refused the credentials, or the private key could not be read.</summary>
    AuthFailed,
    /// <summary>The host presented a key other than the pinned one.</summary>
    HostKeyChanged,
    /// <summary>No key is pinned yet and trust-on-first-use was not chosen: the operator must confirm the key first.</summary>
    HostKeyUnconfirmed,
    /// <summary>The user logged in but <c>sudo -n</c> wants a password.</summary>
    SudoNeedsPassword,
    /// <summary>Anything else (no route, protocol error, connection lost...); see the message.</summary>
    Other,
}

/// <summary>
/// A typed failure to reach or use a host. <see cref="PresentedKey"/> is the key the host showed, when the
/// connection got that far; <see cref="ExpectedFingerprint"/> the pinned one for <see cref="SshFailureReason.HostKeyChanged"/>.
/// </summary>
public sealed record SshFailure(SshFailureReason Reason, string Message)
{
    public HostKeyInfo? PresentedKey { get; init; }
    public HostKeyFingerprint? ExpectedFingerprint { get; init; }

    public override string ToString() => $"{Reason}: {Message}";
}

/// <summary>Thrown when a host cannot be reached or used; <see cref="Failure"/> says why.</summary>
public sealed class SshFailureException : Exception
{
    public SshFailureException(SshFailure failure, Exception? inner = null) : base(failure.Message, inner) => Failure = failure;

    public SshFailure Failure { get; }
    public SshFailureReason Reason => Failure.Reason;
}
