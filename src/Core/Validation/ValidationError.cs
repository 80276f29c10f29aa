namespace Superbridge.Core.Validation;

/// <summary>A rejected field: <see cref="Path"/> is JSON-ish (e.g. <c>links[0].tunnelId</c>, <c>router.dhcpRange</c>).</summary>
public sealed record ValidationError(string Path, ErrorCode Code, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
