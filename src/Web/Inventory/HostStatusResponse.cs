using System.Text.Json.Serialization;
using Superbridge.Ssh.Inventory;

namespace Superbridge.Web.Inventory;

/// <summary>What <c>POST /api/hosts/{id}/refresh</c> answers: the host's status after the refresh, with its inventory when online.</summary>
public sealed record HostStatusResponse(
    string Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    DateTimeOffset? RefreshedAt,
    long? DurationMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HostInventory? Inventory)
{
    public static HostStatusResponse From(HostStatus status) => new(
        status.HostId,
        status.StateName,
        status.Reason is { } reason ? ReasonName(reason) : null,
        status.Message,
        status.RefreshedAt,
        status.Duration is { } d ? (long)d.TotalMilliseconds : null,
        status.State == HostState.Online ? status.Inventory : null);

    /// <summary>The failure reason in kebab case: "refused", "timeout", "auth-failed", "host-key-changed", ...</summary>
    public static string ReasonName(Superbridge.Ssh.SshFailureReason reason) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(reason.ToString());
}
