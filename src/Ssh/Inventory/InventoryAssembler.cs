using System.Collections.Immutable;
using System.Net;
using Superbridge.Core.Observed;

namespace Superbridge.Ssh.Inventory;

/// <summary>
/// A section that failed or could not be read: its command, exit status and stderr, and what went wrong
/// (the parser's message, or "exited N"). The rest of the inventory is still usable.
/// </summary>
public sealed record InventoryProblem(string Section, string Command, int? ExitCode, string StandardError, string Message)
{
    public override string ToString() =>
        StandardError.Trim().Length == 0 ? $"{Section} (`{Command}`): {Message}" : $"{Section} (`{Command}`): {Message}: {StandardError.Trim()}";
}

/// <summary>An inventory read into Core's <see cref="ObservedHost"/>, plus what the record has no place for.</summary>
public sealed record AssembledInventory
{
    public required ObservedHost Host { get; init; }

    /// <summary>Every line of the kernel feature probe (how each answer was found); null when the probe failed.</summary>
    public KernelFeatureProbe? FeatureProbe { get; init; }

    /// <summary>The device holding the underlay address, and its MTU; null when no local device has that address.</summary>
    public string? UnderlayDevice { get; init; }
    public int? UnderlayMtu { get; init; }

    /// <summary>Where the host keeps its containers (the lxcpath lxc-* commands use); null when LXC is absent or the output predates the section.</summary>
    public string? LxcPath { get; init; }

    /// <summary>Sections that failed or could not be parsed; empty when everything was read.</summary>
    public ImmutableArray<InventoryProblem> Problems { get; init; } = [];

    public bool IsComplete => Problems.IsEmpty;
}

/// <summary>
/// Pure: parses each section of an <see cref="InventoryOutput"/> with Core's parsers and assembles an
/// <see cref="ObservedHost"/>. A failed or unreadable section becomes an <see cref="InventoryProblem"/> and leaves
/// its part empty; nothing is thrown for the host's output. Not failures: <c>ip l2tp</c> on a kernel without
/// L2TP (no tunnels can exist), LXC not installed (no lxc-* sections, no containers) and charon not running (no SAs).
/// </summary>
public static class InventoryAssembler
{
    /// <param name="underlayAddress">The host's tunnel endpoint address, to find the underlay device and its MTU.</param>
    public static AssembledInventory Assemble(InventoryOutput output, string? underlayAddress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new SectionReader(output);

        reader.TryRead(InventorySections.Hostname, Hostname, out var hostname);
        reader.TryRead(InventorySections.Kernel, SystemInfoParser.KernelRelease, out var kernel);
        reader.TryRead(InventorySections.Iproute, SystemInfoParser.IprouteVersion, out var iproute);
        reader.TryRead(InventorySections.Features, KernelFeatureProbeParser.Parse, out var probe);
        // Links come from `ip -j -d addr show` (the ip-addr section); outputs of older scripts have their own ip-link section.
        reader.TryRead(output.Find(InventorySections.IpLink) is null ? InventorySections.IpAddr : InventorySections.IpLink, IpLinkParser.Parse, out var links);
        reader.TryRead(InventorySections.IpAddr, IpAddrParser.Parse, out var addresses);
        // Outputs of scripts older than the route section know no routes: tunnel addresses then default to the SSH address.
        var routes = ImmutableArray<ObservedRoute>.Empty;
        if (output.Find(InventorySections.IpRoute) is not null)
            reader.TryRead(InventorySections.IpRoute, IpRouteParser.Parse, out routes);
        reader.TryRead(InventorySections.BridgeFdb, BridgeFdbParser.Parse, out var fdb);
        reader.TryRead(InventorySections.L2tpTunnel, L2tpParser.ParseTunnels, out var tunnels, NoL2tpInKernel);
        reader.TryRead(InventorySections.L2tpSession, L2tpParser.ParseSessions, out var sessions, NoL2tpInKernel);
        reader.TryRead(InventorySections.IptablesNat, o => RuleLines(o, IptablesRulesParser.NatCommand), out var nat);
        // Outputs of scripts older than the filter section have no guard rules to show.
        var filter = ImmutableArray<string>.Empty;
        if (output.Find(InventorySections.IptablesFilter) is not null)
            reader.TryRead(InventorySections.IptablesFilter, o => RuleLines(o, IptablesRulesParser.FilterCommand), out filter);
        var firewall = Firewall(output, reader);
        reader.TryRead(InventorySections.Dnsmasq, DnsmasqProcessParser.Parse, out var dnsmasq);
        reader.TryRead(InventorySections.IpForward, SystemInfoParser.IpForward, out var forward);

        // Outputs of scripts older than the boot section say nothing about boot: unknown, not a problem.
        var boot = BootState.Unknown;
        if (output.Find(InventorySections.Boot) is not null)
        {
            var files = output.Sections
                .Where(s => s.Name.StartsWith(InventorySections.BootFilePrefix, StringComparison.Ordinal) && s.Succeeded)
                .Select(s => new ObservedFile(s.Name[InventorySections.BootFilePrefix.Length..], s.StandardOutput))
                .ToList();
            if (reader.TryRead(InventorySections.Boot, o => BootStateParser.Parse(o, files), out var read))
                boot = read with
                {
                    SecretFiles = [.. output.Sections.Where(s => s.Name.StartsWith(InventorySections.SecretFilePrefix, StringComparison.Ordinal))
                        .Select(s => s.Name[InventorySections.SecretFilePrefix.Length..])],
                };
        }
        var ipsec = IpsecFacts.Unknown;
        if (output.Find(InventorySections.Ipsec) is not null && reader.TryRead(InventorySections.Ipsec, IpsecFactsParser.Parse, out var facts)) ipsec = facts;
        var sas = ImmutableArray<ObservedIkeSa>.Empty;
        if (output.Find(InventorySections.IpsecSas) is not null
            && reader.TryRead(InventorySections.IpsecSas, SwanctlSasParser.Parse, out var ikeSas, s => SwanctlSasParser.IsCharonNotRunning(s.StandardError)))
            sas = ikeSas;

        string? lxcPath = null;
        if (output.Find(InventorySections.LxcPath) is not null && reader.TryRead(InventorySections.LxcPath, LxcPathValue, out var path))
            lxcPath = path;

        var containers = ImmutableArray<ObservedContainer>.Empty;
        if (output.Find(InventorySections.LxcLs) is not null && reader.TryRead(InventorySections.LxcLs, LxcLsParser.Parse, out var listed))
        {
            containers = [.. listed.Select(container =>
            {
                if (reader.TryRead(InventorySections.LxcConfigPrefix + container.Name, c => (Link: LxcConfigParser.ConfiguredLink(c), Nics: LxcConfigParser.Interfaces(c)), out var config))
                    container = container with { ConfiguredLink = config.Link, Interfaces = config.Nics };
                if (reader.TryRead(InventorySections.LxcInfoPrefix + container.Name, LxcInfoParser.Parse, out var info) && info is not null)
                    container = info.ApplyTo(container);
                return container;
            })];
        }

        var host = new ObservedHost
        {
            Hostname = hostname ?? "",
            KernelRelease = kernel ?? "",
            IprouteVersion = iproute ?? "",
            Features = probe?.Features ?? KernelFeatures.None,
            Links = L2tpSessionDevices.MarkKinds(links.IsDefault ? [] : links, sessions.IsDefault ? [] : sessions),
            Addresses = addresses.IsDefault ? [] : addresses,
            Routes = routes.IsDefault ? [] : routes,
            Fdb = fdb.IsDefault ? [] : fdb,
            L2tpTunnels = tunnels.IsDefault ? [] : tunnels,
            L2tpSessions = sessions.IsDefault ? [] : sessions,
            Containers = containers,
            NatRules = nat.IsDefault ? [] : nat,
            FilterRules = filter.IsDefault ? [] : filter,
            Firewall = firewall,
            Dnsmasq = dnsmasq.IsDefault ? [] : dnsmasq,
            Ipv4Forward = forward,
            Boot = boot,
            Ipsec = ipsec,
            IpsecSas = sas,
        };
        var (device, mtu) = Underlay(host, underlayAddress);
        return new AssembledInventory
        {
            Host = host,
            FeatureProbe = probe,
            UnderlayDevice = device,
            UnderlayMtu = mtu,
            LxcPath = lxcPath,
            Problems = reader.Problems,
        };
    }

    /// <summary>
    /// The device holding <paramref name="address"/> (compared as IP addresses) and that device's MTU. An address on no
    /// device (a public address in front of a 1:1 NAT) gives the device of the default route of its family: tunnels leave there.
    /// </summary>
    public static (string? Device, int? Mtu) Underlay(ObservedHost host, string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || !IPAddress.TryParse(address.Trim(), out var wanted)) return (null, null);
        var device = host.Addresses.FirstOrDefault(a => IPAddress.TryParse(a.Address, out var ip) && ip.Equals(wanted))?.Device
            ?? RouteLookup.DefaultDevice(host, wanted.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "inet6" : "inet");
        if (device is null) return (null, null);
        var link = host.Links.FirstOrDefault(l => l.Name == device);
        return (device, link is { Mtu: > 0 } ? link.Mtu : null);
    }

    /// <summary>One absolute path, as <c>lxc-config lxc.lxcpath</c> prints it.</summary>
    private static string LxcPathValue(string output)
    {
        var value = output.Trim();
        if (!value.StartsWith('/') || value.Contains('\n'))
            throw new ObservedParseException("InventoryAssembler", "lxc-config lxc.lxcpath", $"expected one absolute path, got \"{value}\"");
        return value;
    }

    /// <summary>The host name (/proc/sys/kernel/hostname, what <c>uname -n</c> prints): one word.</summary>
    private static string Hostname(string output)
    {
        var value = output.Trim();
        return value.Length > 0 && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new ObservedParseException(nameof(InventoryAssembler), InventorySections.CommandOf(InventorySections.Hostname), $"expected one word, found \"{(value.Length <= 60 ? value : value[..60] + "...")}\"");
    }

    /// <summary>
    /// Backend, the legacy filter table (kept only where <c>iptables</c> is nf_tables: on a legacy host it is the table
    /// FilterRules already shows) and the nftables chains that drop. Outputs older than these sections: unknown.
    /// </summary>
    private static HostFirewall Firewall(InventoryOutput output, SectionReader reader)
    {
        if (output.Find(InventorySections.IptablesVersion) is null) return HostFirewall.Unknown;
        reader.TryRead(InventorySections.IptablesVersion, IptablesVersionParser.Parse, out var backend);
        var legacy = ImmutableArray<string>.Empty;
        if (backend == IptablesBackend.NfTables)
            reader.TryRead(InventorySections.IptablesLegacyFilter,
                o => o.Trim().Length == 0 ? [] : RuleLines(o, InventorySections.CommandOf(InventorySections.IptablesLegacyFilter)), out legacy);
        reader.TryRead(InventorySections.NftRuleset, o => o.Trim().Length == 0 ? [] : NftRulesetParser.Parse(o), out var chains);
        return new HostFirewall
        {
            Backend = backend,
            OtherBackendFilterRules = legacy.IsDefault ? [] : legacy,
            NftBlockingChains = chains.IsDefault ? [] : chains,
        };
    }

    /// <summary>The verbatim lines of <c>iptables -S</c> of a table, once the parser accepted them.</summary>
    private static ImmutableArray<string> RuleLines(string output, string command)
    {
        IptablesRulesParser.Parse(output, command);
        return [.. output.Replace("\r\n", "\n").Split('\n').Where(line => line.Trim().Length > 0)];
    }

    private static bool NoL2tpInKernel(InventorySection section) => L2tpParser.IsMissingKernelSupport(section.StandardError);

    /// <summary>Finds, checks and parses sections, collecting a problem for each one that fails.</summary>
    private sealed class SectionReader
    {
        private readonly InventoryOutput _output;
        private readonly ImmutableArray<InventoryProblem>.Builder _problems = ImmutableArray.CreateBuilder<InventoryProblem>();

        public SectionReader(InventoryOutput output)
        {
            _output = output;
            if (!output.IsComplete)
                _problems.Add(new InventoryProblem("inventory", "sh -s", null, "", output.Problem ?? "the output is incomplete"));
        }

        public ImmutableArray<InventoryProblem> Problems => _problems.ToImmutable();

        /// <summary>
        /// Parses the section's stdout when it exited 0. A missing section is a problem only when the output is complete
        /// (a cut-short output is one problem already); a failure <paramref name="acceptFailure"/> accepts is no problem.
        /// </summary>
        public bool TryRead<T>(string name, Func<string, T> parse, out T value, Func<InventorySection, bool>? acceptFailure = null)
        {
            value = default!;
            var section = _output.Find(name);
            var command = InventorySections.CommandOf(name);
            if (section is null)
            {
                if (_output.IsComplete) Add(new InventoryProblem(name, command, null, "", "the section is missing from the output"));
                return false;
            }
            if (!section.Succeeded)
            {
                if (acceptFailure?.Invoke(section) != true)
                    Add(new InventoryProblem(name, command, section.ExitCode, section.StandardError, $"exited {section.ExitCode}"));
                return false;
            }
            try
            {
                value = parse(section.StandardOutput);
                return true;
            }
            catch (ObservedParseException e)
            {
                Add(new InventoryProblem(name, command, section.ExitCode, section.StandardError, e.Message));
                return false;
            }
        }

        /// <summary>A section two parsers read (ip-addr) that failed is one problem, not two.</summary>
        private void Add(InventoryProblem problem)
        {
            if (!_problems.Contains(problem)) _problems.Add(problem);
        }
    }
}
