using Superbridge.Lab;
using Superbridge.Web.Tests.Support;
using static Superbridge.Web.Tests.Api.Operations.OperationsLab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>Two segments routed (DHCP + NAT) by the same host share its IPv4 forwarding: the last one out turns it back.</summary>
[Collection("Lab")]
public sealed class SharedRouterHostTests(LabFixture fixture) : IAsyncLifetime
{
    private readonly LabEnvironment _lab = fixture.Lab;
    private readonly DashboardFactory _factory = new();
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        await RemoveLeftoversAsync(_lab, ["sbopsa0", "sbopsb0"], [91, 92]);
        _api = _factory.CreateApiClient();
        await RegisterHostsAsync(_api, _lab, 1, 2);
    }

    public async Task DisposeAsync()
    {
        await TryTeardownAsync(_api, "opsa");
        await TryTeardownAsync(_api, "opsb");
        _api.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Tearing_down_one_of_two_segments_routed_by_a_host_keeps_forwarding_for_the_other_and_the_last_restores_it()
    {
        var h1 = _lab.Host(1);
        var h2 = _lab.Host(2);
        Assert.True(h2.Containers.Count >= 2, "the lab needs two containers per host");
        var (c1, c2) = (h2.Containers[0], h2.Containers[1]);
        var originalForward = await Ipv4ForwardAsync(_lab, h1);

        await CreateSegmentAsync(_api, "opsa", "sbopsa0", "h1", "h2");
        await SetRouterAsync(_api, "opsa", "h1", 91);
        await AttachAsync(_api, "opsa", "h2", c1);
        await CreateSegmentAsync(_api, "opsb", "sbopsb0", "h1", "h2");
        await SetRouterAsync(_api, "opsb", "h1", 92);
        await AttachAsync(_api, "opsb", "h2", c2);

        await ApplyAndWaitAsync(_api, "opsa");
        await ApplyAndWaitAsync(_api, "opsb");
        Assert.Equal("1", await Ipv4ForwardAsync(_lab, h1));
        await WaitForLeaseAsync(_lab, h2, c1, 91);
        await WaitForLeaseAsync(_lab, h2, c2, 92);
        await AssertReachesUpstreamThroughAsync(h1, h2, c1);
        await AssertReachesUpstreamThroughAsync(h1, h2, c2);

        await TeardownAndWaitAsync(_api, "opsa");
        Assert.False(await HasLinkAsync(_lab, h1, "sbopsa0"), "opsa's bridge is still on h1");
        Assert.True(await HasLinkAsync(_lab, h1, "sbopsb0"), "opsb's bridge went with opsa's");
        Assert.Equal("1", await Ipv4ForwardAsync(_lab, h1));
        await AssertReachesUpstreamThroughAsync(h1, h2, c2);

        await TeardownAndWaitAsync(_api, "opsb");
        Assert.False(await HasLinkAsync(_lab, h1, "sbopsb0"), "opsb's bridge is still on h1");
        Assert.Equal(originalForward, await Ipv4ForwardAsync(_lab, h1));
    }

    private async Task AssertReachesUpstreamThroughAsync(LabHost router, LabHost host, string container)
    {
        var seen = await WhoamiAsync(_lab, host, container);
        if (seen == router.Address) return;
        var state = await _lab.RunInNamespaceAsync(router.Namespace, ["bash", "-c", "iptables -t nat -S; iptables -S; ip -br addr; ip route; cat /proc/sys/net/ipv4/ip_forward"]);
        Assert.Fail($"{container} did not reach upstream as {router.Address}: {seen}\nrouter {router.Name}:\n{state.StandardOutput}{state.StandardError}");
    }
}
