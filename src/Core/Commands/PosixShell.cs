using System.Text;

namespace Superbridge.Core.Commands;

/// <summary>
/// The one place argv becomes POSIX sh text (previews, exports, and the line SSH sends).
/// Plain words pass unchanged; anything else is single-quoted with each ' written as '\''.
/// </summary>
public static class PosixShell
{
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Contains('\0')) throw new ArgumentException("NUL cannot be passed in a shell word.", nameof(word));
        if (word.Length > 0 && IsPlain(word)) return word;
        return "'" + word.Replace("'", "'\\''") + "'";
    }

    public static string Join(IEnumerable<string> argv)
    {
        var sb = new StringBuilder();
        foreach (var word in argv)
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Quote(word));
        }
        return sb.ToString();
    }

    private static bool IsPlain(string word)
    {
        foreach (var c in word)
        {
            var plain = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
                or '_' or '.' or '/' or ':' or '=' or '@' or '%' or '+' or '-';
            if (!plain) return false;
        }
        return true;
    }
}
