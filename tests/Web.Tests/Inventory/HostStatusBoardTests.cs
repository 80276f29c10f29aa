using Superbridge.Ssh;
using Superbridge.Web.Inventory;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Inventory;

public sealed class HostStatusBoardTests : DashboardTestContext
{
    [Fact]
    public async Task Tunnels_name_their_peer_by_its_peer_address_so_a_host_behind_a_port_forward_or_nat_is_still_recognised()
    {
        await AddHostAsync("plain", "198.51.100.1");
        await AddHostAsync("forwarded", "127.0.0.1", peerAddress: "198.51.100.2");

        var map = HostStatusBoard.UnderlayMap(await Hosts.ListAsync());

        Assert.Equal(new Dictionary<string, Superbridge.Core.Model.HostId> { ["198.51.100.1"] = "plain", ["198.51.100.2"] = "forwarded" }, map);
    }

    [Fact]
    public async Task A_slow_host_does_not_hold_up_the_others_results()
    {
        await AddHostAsync("fast", "198.51.100.1");
        await AddHostAsync("slow", "198.51.100.2");
        Inventory.Answer(InventoryFixtures.LabH1("fast"));
        var slow = Inventory.Hold("slow");

        var all = Board.RefreshAllAsync();

        await WaitAsync(() => Board.Get("fast").State == HostState.Online);
        Assert.True(Board.Get("slow").IsRefreshing);
        Assert.False(all.IsCompleted);
        slow.SetResult(FakeHostInventorySource.Offline("slow", SshFailureReason.Timeout, "No inventory within 20 s."));
        var results = await all;
        Assert.Equal(["fast", "slow"], results.Select(r => r.HostId));
        Assert.Equal(HostState.Offline, Board.Get("slow").State);
    }

    [Fact]
    public async Task Going_offline_keeps_the_last_inventory_and_says_why_with_the_refresh_time()
    {
        await AddHostAsync("h1");
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        await Board.RefreshAsync("h1");
        Time.Advance(TimeSpan.FromMinutes(5));
        Inventory.Answer(FakeHostInventorySource.Offline("h1", SshFailureReason.AuthFailed, "Permission denied."));

        var status = await Board.RefreshAsync("h1");

        Assert.NotNull(status);
        Assert.Equal(HostState.Offline, status.State);
        Assert.Equal(SshFailureReason.AuthFailed, status.Reason);
        Assert.Equal("Permission denied.", status.Message);
        Assert.Equal("sblab-h1", status.Inventory!.Hostname);
        Assert.Equal(FixedTimeProvider.Start + TimeSpan.FromMinutes(5), status.RefreshedAt);
        Assert.Equal("offline", status.StateName);
    }

    [Fact]
    public async Task Watchers_see_the_refresh_start_and_its_result()
    {
        await AddHostAsync("h1");
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<HostStatus>();
        var watching = Task.Run(async () =>
        {
            await foreach (var status in Board.WatchAsync(stop.Token))
            {
                seen.Add(status);
                if (!status.IsRefreshing) return;
            }
        });
        await Task.Delay(50);

        await Board.RefreshAsync("h1");
        await watching;

        Assert.Equal([(true, HostState.Unknown), (false, HostState.Online)], seen.Select(s => (s.IsRefreshing, s.State)));
    }

    [Fact]
    public async Task Unknown_hosts_and_forgotten_hosts()
    {
        Assert.Null(await Board.RefreshAsync("nope"));
        Assert.Equal(HostState.Unknown, Board.Get("nope").State);
        await AddHostAsync("h1");
        Inventory.Answer(InventoryFixtures.LabH1("h1"));
        await Board.RefreshUnknownAsync();
        Assert.Equal(HostState.Online, Board.Get("h1").State);

        Board.Forget("h1");

        Assert.Equal(HostState.Unknown, Board.Get("h1").State);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(10, timeout.Token);
    }
}
