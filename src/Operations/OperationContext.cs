namespace Superbridge.Operations;

/// <summary>
/// The operation and user every command runs for, passed explicitly to observation and execution so each command,
/// reads included, is filed in that operation's audit.
/// </summary>
public sealed record OperationContext(long? OperationId, string User)
{
    /// <summary>Reads and changes a user makes outside an operation (creating a segment observes its hosts).</summary>
    public static OperationContext Outside(string user) => new(null, user);
}
