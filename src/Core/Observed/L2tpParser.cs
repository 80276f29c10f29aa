using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads the text of <c>ip l2tp show tunnel</c> and <c>ip l2tp show session</c> (format of iproute2
/// ip/ipl2tp.c <c>print_tunnel</c>/<c>print_session</c>, stable since the command exists). Empty output means
/// no tunnels or sessions. Indented lines this parser does not know (checksum, offsets, cookies) are skipped.
/// </summary>
public static partial class L2tpParser
{
    public const string TunnelCommand = "ip l2tp show tunnel";
    public const string SessionCommand = "ip l2tp show session";
    private static readonly ParserContext TunnelContext = new(nameof(L2tpParser), TunnelCommand);
    private static readonly ParserContext SessionContext = new(nameof(L2tpParser), SessionCommand);

    public static ImmutableArray<ObservedL2tpTunnel> ParseTunnels(string output)
    {
        var context = TunnelContext;
        var tunnels = ImmutableArray.CreateBuilder<ObservedL2tpTunnel>();
        TunnelDraft? draft = null;
        var lines = ParserContext.Lines(output ?? "");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Trim().Length == 0) continue;
            Match m;
            if ((m = TunnelHeader().Match(line)).Success)
            {
                if (draft is not null) tunnels.Add(draft.Build(context));
                draft = new TunnelDraft(context.ParseUInt(m.Groups[1].Value, "tunnel id", number), m.Groups[2].Value, number);
                continue;
            }
            if (draft is null || !char.IsWhiteSpace(line[0]))
                throw context.Error($"line {number}: expected \"Tunnel N, encap X\", found \"{Shorten(line)}\"");
            if ((m = TunnelEndpoints().Match(line)).Success)
                (draft.Local, draft.Remote) = (m.Groups[1].Value, m.Groups[2].Value);
            else if ((m = PeerTunnel().Match(line)).Success)
                draft.PeerTunnelId = context.ParseUInt(m.Groups[1].Value, "peer tunnel id", number);
            else if ((m = UdpPorts().Match(line)).Success)
                (draft.SourcePort, draft.DestinationPort) =
                    (context.ParseInt(m.Groups[1].Value, "UDP source port", number), context.ParseInt(m.Groups[2].Value, "UDP destination port", number));
        }
        if (draft is not null) tunnels.Add(draft.Build(context));
        return tunnels.ToImmutable();
    }

    public static ImmutableArray<ObservedL2tpSession> ParseSessions(string output)
    {
        var context = SessionContext;
        var sessions = ImmutableArray.CreateBuilder<ObservedL2tpSession>();
        SessionDraft? draft = null;
        var lines = ParserContext.Lines(output ?? "");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Trim().Length == 0) continue;
            Match m;
            if ((m = SessionHeader().Match(line)).Success)
            {
                if (draft is not null) sessions.Add(draft.Build(context));
                draft = new SessionDraft(
                    context.ParseUInt(m.Groups[1].Value, "session id", number),
                    context.ParseUInt(m.Groups[2].Value, "tunnel id", number),
                    number);
                continue;
            }
            if (draft is null || !char.IsWhiteSpace(line[0]))
                throw context.Error($"line {number}: expected \"Session N in tunnel M\", found \"{Shorten(line)}\"");
            if ((m = PeerSession().Match(line)).Success)
                draft.PeerSessionId = context.ParseUInt(m.Groups[1].Value, "peer session id", number);
            else if ((m = InterfaceName().Match(line)).Success)
                draft.InterfaceName = m.Groups[1].Value;
        }
        if (draft is not null) sessions.Add(draft.Build(context));
        return sessions.ToImmutable();
    }

    /// <summary>
    /// True when <c>ip l2tp</c> failed because the kernel has no L2TP generic-netlink family (module absent):
    /// iproute2 then prints "RTNETLINK answers: No such file or directory" and "Error talking to the kernel".
    /// </summary>
    public static bool IsMissingKernelSupport(string stderr) =>
        stderr.Contains("Error talking to the kernel", StringComparison.Ordinal)
        && stderr.Contains("No such file or directory", StringComparison.Ordinal);

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "...";

    private sealed class TunnelDraft(uint tunnelId, string encap, int line)
    {
        public string? Local, Remote;
        public uint? PeerTunnelId;
        public int? SourcePort, DestinationPort;

        public ObservedL2tpTunnel Build(ParserContext context)
        {
            if (Local is null || Remote is null)
                throw context.Error($"tunnel {tunnelId} (line {line}) has no \"From A to B\" line");
            if (PeerTunnelId is null)
                throw context.Error($"tunnel {tunnelId} (line {line}) has no \"Peer tunnel N\" line");
            return new ObservedL2tpTunnel(tunnelId, PeerTunnelId.Value, encap, Local, Remote, SourcePort, DestinationPort);
        }
    }

    private sealed class SessionDraft(uint sessionId, uint tunnelId, int line)
    {
        public uint? PeerSessionId;
        public string InterfaceName = "";

        public ObservedL2tpSession Build(ParserContext context)
        {
            if (PeerSessionId is null)
                throw context.Error($"session {sessionId} in tunnel {tunnelId} (line {line}) has no \"Peer session N, tunnel M\" line");
            return new ObservedL2tpSession(sessionId, PeerSessionId.Value, tunnelId, InterfaceName);
        }
    }

    [GeneratedRegex(@"^Tunnel (\d+), encap (\S+)\s*$")]
    private static partial Regex TunnelHeader();
    [GeneratedRegex(@"^\s+From (\S+) to (\S+)\s*$")]
    private static partial Regex TunnelEndpoints();
    [GeneratedRegex(@"^\s+Peer tunnel (\d+)\s*$")]
    private static partial Regex PeerTunnel();
    [GeneratedRegex(@"^\s+UDP source / dest ports: (\d+)/(\d+)\s*$")]
    private static partial Regex UdpPorts();
    [GeneratedRegex(@"^Session (\d+) in tunnel (\d+)\s*$")]
    private static partial Regex SessionHeader();
    [GeneratedRegex(@"^\s+Peer session (\d+), tunnel (\d+)\s*$")]
    private static partial Regex PeerSession();
    [GeneratedRegex(@"^\s+interface name: (\S+)\s*$")]
    private static partial Regex InterfaceName();
}
