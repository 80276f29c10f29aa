namespace Superbridge.Operations;

/// <summary>
/// The operation and user every command runs for, passed explicitly to observation and execution so each command,
/// reads included, is filed in that operation's audit.
/// </summary>
public sealed record OperationContext(long OperationId, string User);
