using Superbridge.Operations;
using Microsoft.Extensions.DependencyInjection;
using Superbridge.Web.Audit;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Audit;

public sealed class AuditStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Commands_are_kept_with_their_operation_and_filter_by_host_and_segment()
    {
        using var factory = new DashboardFactory();
        var audit = factory.Services.GetRequiredService<AuditStore>();
        var journal = factory.Services.GetRequiredService<OperationJournal>();
        var labApply = (await journal.QueueAsync(SegmentOperationKind.Apply, "lab", "admin", null)).Id;
        var otherApply = (await journal.QueueAsync(SegmentOperationKind.Apply, "other", "admin", null)).Id;
        await audit.AppendAsync(new AuditEntry(0, labApply, "h1", "admin", At, ["ip", "link", "add", "superbr0", "type", "bridge"], 0, "", "", 12));
        await audit.AppendAsync(new AuditEntry(0, labApply, "h2", "admin", At, ["ip", "link", "add", "superbr0", "type", "bridge"], 2, "", "RTNETLINK answers: File exists", 9));
        await audit.AppendAsync(new AuditEntry(0, otherApply, "h1", "admin", At, ["true"], 0, "", "", 1));
        await journal.FinishAsync(labApply, OperationStatus.RolledBack, null, "h2: RTNETLINK answers: File exists");

        var h2 = await audit.ListEntriesAsync(new AuditFilter(HostId: "h2"));
        var lab = await audit.ListEntriesAsync(new AuditFilter(SegmentId: "lab"));
        var h1Operations = await journal.ListAsync(new AuditFilter(HostId: "h1"));
        var labOperation = Assert.Single(await journal.ListAsync(new AuditFilter(SegmentId: "lab")));

        var failed = Assert.Single(h2);
        Assert.Equal(["ip", "link", "add", "superbr0", "type", "bridge"], failed.Argv.ToArray());
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal("RTNETLINK answers: File exists", failed.Stderr);
        Assert.Equal(2, lab.Count);
        Assert.Equal(2, h1Operations.Count);
        Assert.Equal(OperationStatus.RolledBack, labOperation.Status);
        Assert.NotNull(labOperation.EndedAt);
    }
}
