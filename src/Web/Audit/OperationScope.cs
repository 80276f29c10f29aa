namespace Superbridge.Web.Audit;

/// <summary>
/// Which dashboard user and operation the commands running on this async flow belong to, so the
/// audit sink can file each command without every caller passing them along.
/// </summary>
public static class OperationScope
{
    private static readonly AsyncLocal<Context?> CurrentContext = new();

    public sealed record Context(string User, long? OperationId);

    public static Context Current => CurrentContext.Value ?? new Context("system", null);

    public static IDisposable Begin(string user, long? operationId)
    {
        var previous = CurrentContext.Value;
        CurrentContext.Value = new Context(user, operationId);
        return new Restore(previous);
    }

    private sealed class Restore(Context? previous) : IDisposable
    {
        public void Dispose() => CurrentContext.Value = previous;
    }
}
