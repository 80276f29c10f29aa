using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Superbridge.Lab;

namespace Superbridge.Web.Tests.Api.Operations;

/// <summary>What these tests do through the REST API (hosts, segments, operations, events) and read back from the lab hosts.</summary>
internal static class OperationsLab
{
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Registers lab hosts h{n} with root, the lab key and their pinned host keys.</summary>
    public static async Task RegisterHostsAsync(HttpClient api, LabEnvironment lab, params int[] numbers)
    {
        foreach (var number in numbers)
        {
            var host = lab.Host(number);
            var response = await api.PostAsJsonAsync("/api/hosts", new
            {
                name = $"h{number}",
                address = host.Address,
                username = "root",
                privateKeyPath = lab.Description.KeyPath,
                hostKey = host.HostKeyFingerprint,
            });
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"h{number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<JsonElement> CreateSegmentAsync(HttpClient api, string name, string bridge, params string[] hosts)
    {
        var created = await api.PostAsJsonAsync("/api/segments", new { name, bridge, transport = "vxlan", hostIds = hosts });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"create {name}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        return await created.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A NAT router with DHCP on <paramref name="host"/> for 10.{second}.0.0/24 (gateway .1, leases .100–.150).</summary>
    public static async Task SetRouterAsync(HttpClient api, string segment, string host, int second)
    {
        var router = await api.PutAsJsonAsync($"/api/segments/{segment}/router", new
        {
            hostId = host,
            gateway = $"10.{second}.0.1/24",
            dhcpRange = $"10.{second}.0.100-10.{second}.0.150",
            leaseTime = "1h",
            nat = true,
        });
        Assert.True(router.StatusCode == HttpStatusCode.OK, $"router {segment}: {(int)router.StatusCode} {await router.Content.ReadAsStringAsync()}");
    }

    public static async Task AttachAsync(HttpClient api, string segment, string host, string container)
    {
        var attached = await api.PostAsJsonAsync($"/api/segments/{segment}/attachments", new { hostId = host, container });
        Assert.True(attached.StatusCode == HttpStatusCode.OK, $"attach {container}: {(int)attached.StatusCode} {await attached.Content.ReadAsStringAsync()}");
    }

    /// <summary>POST apply: 202 with Location /api/operations/{id} and the operation; returns its id.</summary>
    public static Task<long> StartApplyAsync(HttpClient api, string segment) =>
        AcceptedAsync(api.PostAsync($"/api/segments/{segment}/apply", null), $"apply {segment}");

    /// <summary>DELETE the segment: 202 with the teardown operation; returns its id.</summary>
    public static Task<long> StartTeardownAsync(HttpClient api, string segment) =>
        AcceptedAsync(api.DeleteAsync($"/api/segments/{segment}"), $"teardown {segment}");

    private static async Task<long> AcceptedAsync(Task<HttpResponseMessage> request, string what)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{what}: {(int)response.StatusCode} {body}");
        var operation = JsonDocument.Parse(body).RootElement;
        var id = operation.GetProperty("id").GetInt64();
        Assert.Equal($"/api/operations/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>The operation once it has ended (GET /wait until <c>finished</c>).</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient api, long id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? OperationTimeout);
        while (true)
        {
            var operation = await api.GetFromJsonAsync<JsonElement>($"/api/operations/{id}/wait?timeout=30");
            if (operation.GetProperty("finished").GetBoolean()) return operation;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"operation {id} did not end: {operation}");
        }
    }

    public static async Task<JsonElement> ApplyAndWaitAsync(HttpClient api, string segment)
    {
        var operation = await WaitAsync(api, await StartApplyAsync(api, segment));
        Assert.True(Status(operation) == "succeeded", $"apply {segment}: {operation}");
        return operation;
    }

    public static async Task<JsonElement> TeardownAndWaitAsync(HttpClient api, string segment)
    {
        var operation = await WaitAsync(api, await StartTeardownAsync(api, segment));
        Assert.True(Status(operation) == "succeeded", $"teardown {segment}: {operation}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/segments/{segment}")).StatusCode);
        return operation;
    }

    /// <summary>Cleanup for a finally: tears the segment down through the API if it is still stored; never throws.</summary>
    public static async Task TryTeardownAsync(HttpClient api, string segment)
    {
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await api.DeleteAsync($"/api/segments/{segment}");
                if (response.StatusCode != HttpStatusCode.Accepted) return;
                var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
                if (Status(await WaitAsync(api, id)) == "succeeded") return;
            }
        }
        catch (Exception)
        {
            // Best effort: the bridges are removed by hand at the next start (RemoveLeftoversAsync) or by lab/up.
        }
    }

    public static string Status(JsonElement operation) => operation.GetProperty("status").GetString()!;

    /// <summary>
    /// Removes what a killed earlier run of these tests may have left on the lab hosts (a fresh dashboard does not
    /// know those segments, so the API cannot tear them down): the bridges, every device enslaved to them, their
    /// dnsmasq and the NAT rules naming their subnets.
    /// </summary>
    public static async Task RemoveLeftoversAsync(LabEnvironment lab, IEnumerable<string> bridges, IEnumerable<int> subnetSeconds)
    {
        var bridgeList = bridges.ToList();
        var subnets = subnetSeconds.Select(s => $"10.{s}.0.").ToList();
        foreach (var host in lab.Hosts)
        {
            var script = new StringBuilder();
            foreach (var bridge in bridgeList)
            {
                script.Append($"for d in $(ip -o link show master {bridge} 2>/dev/null | awk -F': ' '{{print $2}}' | cut -d@ -f1); do case $d in veth*) ;; *) ip link del $d;; esac; done; ");
                script.Append($"ip link del {bridge} 2>/dev/null; ");
            }
            foreach (var subnet in subnets)
                script.Append($"iptables -t nat -S | grep -F -- '{subnet}' | sed 's/^-A/-D/' | while read -r r; do eval iptables -t nat $r; done; ");
            script.Append("true");
            await lab.RunInNamespaceAsync(host.Namespace, ["bash", "-c", script.ToString()]);
            var pids = await LabProcess.RunAsync("ip", ["netns", "pids", host.Namespace]);
            foreach (var pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var cmdline = ReadCmdline(pid);
                if (cmdline.StartsWith("dnsmasq", StringComparison.Ordinal) && bridgeList.Any(b => cmdline.Contains(b, StringComparison.Ordinal)))
                    await LabProcess.RunAsync("kill", [pid]);
            }
        }
    }

    private static string ReadCmdline(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.Trim()}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>
    /// What a segment can change on a host, as text: links (not container veths, whose names change on every
    /// restart), addresses, FDB, iptables (nat and filter), dnsmasq processes, ip_forward, containers' state and link.
    /// </summary>
    public static async Task<string> SnapshotAsync(LabEnvironment lab, LabHost host)
    {
        const string script = """
            echo '## links'; ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^veth' | sort
            echo '## addresses'; ip -o addr show | awk '{print $2, $4}' | grep -v '^veth' | sort
            echo '## fdb'; bridge fdb show | grep -v veth | sort
            echo '## nat'; iptables -t nat -S | sort
            echo '## filter'; iptables -S | sort
            echo '## ip_forward'; cat /proc/sys/net/ipv4/ip_forward
            """;
        var network = await lab.RunInNamespaceAsync(host.Namespace, ["bash", "-c", script]);
        Assert.True(network.Succeeded, network.ToString());
        var text = new StringBuilder(network.StandardOutput);
        text.AppendLine("## dnsmasq");
        var pids = await LabProcess.RunAsync("ip", ["netns", "pids", host.Namespace]);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ReadCmdline)
                     .Where(c => c.StartsWith("dnsmasq", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            text.AppendLine(line);
        text.AppendLine("## containers");
        var ls = await lab.SshAsRootAsync(host, "lxc-ls -f -F NAME,STATE");
        text.AppendLine(ls.StandardOutput.Trim());
        foreach (var container in host.Containers)
        {
            var config = Path.Combine(host.LxcPath, container, "config");
            var link = File.Exists(config) ? File.ReadLines(config).FirstOrDefault(l => l.TrimStart().StartsWith("lxc.net.0.link", StringComparison.Ordinal)) : "no config";
            text.AppendLine($"{container} {link?.Trim() ?? "link=none"}");
        }
        return text.ToString();
    }

    public static async Task<Dictionary<string, string>> SnapshotAllAsync(LabEnvironment lab, IEnumerable<int> numbers)
    {
        var snapshots = new Dictionary<string, string>();
        foreach (var number in numbers) snapshots[$"h{number}"] = await SnapshotAsync(lab, lab.Host(number));
        return snapshots;
    }

    /// <summary>Asserts every host is as in <paramref name="before"/>, printing the differing lines.</summary>
    public static async Task AssertHostsAsBeforeAsync(LabEnvironment lab, Dictionary<string, string> before)
    {
        var differences = new StringBuilder();
        foreach (var (name, was) in before)
        {
            var now = await SnapshotAsync(lab, lab.Host(int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture)));
            if (now == was) continue;
            var wasLines = was.Split('\n');
            var nowLines = now.Split('\n');
            differences.AppendLine($"{name}:");
            foreach (var gone in wasLines.Except(nowLines)) differences.AppendLine($"  - {gone}");
            foreach (var added in nowLines.Except(wasLines)) differences.AppendLine($"  + {added}");
        }
        Assert.True(differences.Length == 0, "hosts differ from before:\n" + differences);
    }

    public static async Task<bool> HasLinkAsync(LabEnvironment lab, LabHost host, string name)
    {
        var show = await lab.RunInNamespaceAsync(host.Namespace, ["ip", "link", "show", "dev", name]);
        return show.Succeeded;
    }

    public static async Task<string> Ipv4ForwardAsync(LabEnvironment lab, LabHost host)
    {
        var read = await lab.RunInNamespaceAsync(host.Namespace, ["cat", "/proc/sys/net/ipv4/ip_forward"]);
        Assert.True(read.Succeeded, read.ToString());
        return read.StandardOutput.Trim();
    }

    /// <summary>The container's IPv4 address once it has a lease in 10.{second}.0.0/24.</summary>
    public static async Task<string> WaitForLeaseAsync(LabEnvironment lab, LabHost host, string container, int second)
    {
        for (var attempt = 0; attempt < 90; attempt++)
        {
            var ls = await lab.SshAsRootAsync(host, $"lxc-ls -f -F NAME,IPV4 {container}");
            var line = ls.StandardOutput.Split('\n').Skip(1).FirstOrDefault(l => l.StartsWith(container, StringComparison.Ordinal));
            var address = line?.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault(a => a.StartsWith($"10.{second}.0.", StringComparison.Ordinal));
            if (address is not null) return address;
            await Task.Delay(500);
        }
        throw new TimeoutException($"{container} got no address in 10.{second}.0.0/24 within 45 s");
    }

    /// <summary>What upstream's whoami answers the container (the NAT router's underlay address when MASQUERADE works).</summary>
    public static async Task<string> WhoamiAsync(LabEnvironment lab, LabHost host, string container)
    {
        // (busybox wget segfaults when given -T: the SSH call carries the timeout instead.)
        CommandResult? last = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            last = await lab.SshAsRootAsync(host, $"lxc-attach -n {container} -- wget -q -O - {lab.Description.Upstream.WhoamiUrl}", TimeSpan.FromSeconds(30));
            if (last.Succeeded) return last.StandardOutput.Trim();
            await Task.Delay(1000);
        }
        var inside = await lab.SshAsRootAsync(host, $"lxc-attach -n {container} -- sh -c 'ip addr; ip route'");
        return $"(failed) {last}\ncontainer {container}: {inside.StandardOutput}{inside.StandardError}";
    }

    /// <summary>The operation's Server-Sent Events, each as its name and JSON body, until the server ends the stream.</summary>
    public static async IAsyncEnumerable<(string Name, JsonElement Data)> EventsAsync(
        HttpClient api, long id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/operations/{id}/events");
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"events {id}: {(int)response.StatusCode}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
            else if (line.Length == 0 && name is not null)
            {
                yield return (name, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                name = null;
                data.Clear();
            }
        }
    }
}
