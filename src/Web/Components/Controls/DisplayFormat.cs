using System.Globalization;

namespace Superbridge.Web.Components.Controls;

/// <summary>How durations, ages and long strings are written on the pages.</summary>
public static class DisplayFormat
{
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1000 => $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
        < 60_000 => $"{duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
        _ => $"{(int)duration.TotalMinutes} min {duration.Seconds} s",
    };

    /// <summary>"just now", "42 s ago", "5 min ago", "3 h ago", else the date.</summary>
    public static string Age(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds switch
        {
            < 5 => "just now",
            < 60 => $"{(int)age.TotalSeconds} s ago",
            < 3600 => $"{(int)age.TotalMinutes} min ago",
            < 86400 => $"{(int)age.TotalHours} h ago",
            _ => Timestamp(at),
        };
    }

    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The first <paramref name="length"/> characters and an ellipsis.</summary>
    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
