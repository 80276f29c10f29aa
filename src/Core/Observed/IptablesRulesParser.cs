using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace Superbridge.Core.Observed;

/// <summary>
/// Reads <c>iptables -t nat -S</c> or <c>iptables -t filter -S</c> (a whole table, or any chain's <c>-S</c> output): "-A" lines become
/// <see cref="IptablesRule"/>s; "-P" (policy) and "-N" (new chain) lines are accepted and skipped.
/// Output that does not even have the policy line means the command failed and is rejected.
/// </summary>
public static class IptablesRulesParser
{
    public const string NatCommand = "iptables -t nat -S";
    public const string FilterCommand = "iptables -t filter -S";

    /// <param name="command">What printed it (<see cref="NatCommand"/> or <see cref="FilterCommand"/>), for error messages.</param>
    public static ImmutableArray<IptablesRule> Parse(string output, string command)
    {
        var context = new ParserContext(nameof(IptablesRulesParser), command);
        if (string.IsNullOrWhiteSpace(output))
            throw context.Error("the output is empty (expected at least the \"-P ...\" policy lines)");
        var rules = ImmutableArray.CreateBuilder<IptablesRule>();
        var lines = ParserContext.Lines(output);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) continue;
            var tokens = Tokenize(context, line, i + 1);
            switch (tokens[0])
            {
                case "-P" or "-N":
                    if (tokens.Count < 2) throw context.Error($"line {i + 1}: \"{tokens[0]}\" without a chain name");
                    break;
                case "-A":
                    if (tokens.Count < 2) throw context.Error($"line {i + 1}: \"-A\" without a chain name");
                    rules.Add(ParseRule(context, line, tokens, i + 1));
                    break;
                default:
                    throw context.Error($"line {i + 1}: expected a line starting with -P, -N or -A, found \"{line.Trim()}\"");
            }
        }
        return rules.ToImmutable();
    }

    /// <summary>
    /// True when a MASQUERADE rule exists whose (non-negated) source is the network <paramref name="sourceCidr"/>
    /// ("10.77.0.0/24"; iptables prints sources normalised to their network, so "10.77.0.1/24" matches too).
    /// </summary>
    public static bool HasMasquerade(IEnumerable<IptablesRule> rules, string sourceCidr)
    {
        if (!TryNormalize(sourceCidr, out var wanted))
            throw new ArgumentException($"\"{sourceCidr}\" is not an IPv4/IPv6 network in CIDR form.", nameof(sourceCidr));
        return rules.Any(r => r.Target == "MASQUERADE" && !r.SourceNegated
            && r.Source is not null && TryNormalize(r.Source, out var source) && source.Network.Equals(wanted.Network) && source.Prefix == wanted.Prefix);
    }

    /// <summary>Same, straight from the verbatim lines kept in <see cref="ObservedHost.NatRules"/>.</summary>
    public static bool HasMasquerade(IEnumerable<string> lines, string sourceCidr) =>
        HasMasquerade(Parse(string.Join('\n', lines), NatCommand), sourceCidr);

    private static IptablesRule ParseRule(ParserContext context, string line, List<string> tokens, int number)
    {
        string? source = null, destination = null, inInterface = null, outInterface = null, target = null, comment = null;
        bool sourceNot = false, destinationNot = false, inNot = false, outNot = false, negate = false;
        for (var t = 2; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token == "!") { negate = true; continue; }
            string Next() => t + 1 < tokens.Count
                ? tokens[++t]
                : throw context.Error($"line {number}: option \"{token}\" has no value");
            switch (token)
            {
                case "-s" or "--source": source = Next(); sourceNot = negate; break;
                case "-d" or "--destination": destination = Next(); destinationNot = negate; break;
                case "-i" or "--in-interface": inInterface = Next(); inNot = negate; break;
                case "-o" or "--out-interface": outInterface = Next(); outNot = negate; break;
                case "-j" or "--jump": target = Next(); break;
                case "--comment": comment = Next(); break;
            }
            negate = false;
        }
        return new IptablesRule
        {
            Chain = tokens[1],
            Line = line,
            Arguments = [.. tokens.Skip(2)],
            Source = source,
            SourceNegated = sourceNot,
            Destination = destination,
            DestinationNegated = destinationNot,
            InInterface = inInterface,
            InInterfaceNegated = inNot,
            OutInterface = outInterface,
            OutInterfaceNegated = outNot,
            Target = target,
            Comment = comment,
        };
    }

    /// <summary>Splits on blanks; "double quoted" words (iptables-save quoting, with \" and \\ escapes) are one token.</summary>
    private static List<string> Tokenize(ParserContext context, string line, int number)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                inToken = true;
                i++;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length) i++;
                    current.Append(line[i]);
                }
                if (i >= line.Length) throw context.Error($"line {number}: unterminated quote");
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken) tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }
        if (inToken) tokens.Add(current.ToString());
        if (tokens.Count == 0) throw context.Error($"line {number} is blank");
        return tokens;
    }

    private static bool TryNormalize(string cidr, out (IPAddress Network, int Prefix) network)
    {
        network = default;
        var slash = cidr.IndexOf('/');
        var addressText = slash < 0 ? cidr : cidr[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        var bits = address.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(cidr[(slash + 1)..], out prefix) || prefix < 0 || prefix > bits)) return false;
        var bytes = address.GetAddressBytes();
        for (var b = 0; b < bytes.Length; b++)
        {
            var keep = Math.Clamp(prefix - b * 8, 0, 8);
            bytes[b] &= (byte)(0xFF << (8 - keep));
        }
        network = (new IPAddress(bytes), prefix);
        return true;
    }
}
