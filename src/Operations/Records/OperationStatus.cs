using System.Text.Json.Serialization;

namespace Superbridge.Operations;

/// <summary>Where an operation is. Every operation is stored before it starts and ends in one of the final states.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    /// <summary>Stored, waiting for its segment's and hosts' locks.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    /// <summary>A step failed; every completed step on every host was undone.</summary>
    [JsonStringEnumMemberName("rolled-back")] RolledBack,
    /// <summary>A step failed and an undo failed too: hosts are partly changed (apply again or tear down).</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Nothing ran: preflight or the plan check said no.</summary>
    [JsonStringEnumMemberName("refused")] Refused,
    /// <summary>The dashboard stopped while it was queued or running; apply again or tear down to converge.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    /// <summary>Cancelled by a user: stopped after the running step and rolled back (or never started).</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

public static class OperationStatusNames
{
    /// <summary>The wire word (<c>rolled-back</c>, ...), as in the API and the database.</summary>
    public static string Name(this OperationStatus status) => status switch
    {
        OperationStatus.Queued => "queued",
        OperationStatus.Running => "running",
        OperationStatus.Succeeded => "succeeded",
        OperationStatus.RolledBack => "rolled-back",
        OperationStatus.Failed => "failed",
        OperationStatus.Refused => "refused",
        OperationStatus.Interrupted => "interrupted",
        _ => "cancelled",
    };

    public static OperationStatus Parse(string name) =>
        Enum.GetValues<OperationStatus>().FirstOrDefault(s => s.Name() == name, OperationStatus.Failed);

    public static bool IsFinished(this OperationStatus status) => status is not (OperationStatus.Queued or OperationStatus.Running);

    /// <summary>How an executed plan ended, as an operation's status.</summary>
    public static OperationStatus From(ApplyStatus status, bool cancelled) => status switch
    {
        ApplyStatus.Succeeded => OperationStatus.Succeeded,
        ApplyStatus.Refused => OperationStatus.Refused,
        ApplyStatus.RolledBack when cancelled => OperationStatus.Cancelled,
        ApplyStatus.RolledBack => OperationStatus.RolledBack,
        _ => OperationStatus.Failed,
    };
}
