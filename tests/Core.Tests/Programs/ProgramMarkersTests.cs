using System.Text;
using Superbridge.Core.Programs;

namespace Superbridge.Core.Tests.Programs;

/// <summary>The marker parser on its own: what it accepts, what it refuses, in any order.</summary>
public class ProgramMarkersTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, int, string, MarkerOutcome, int?, long, string, string> Valid => new()
    {
        { "SBSTEP 0 link:sbg-lan-0 skipped 0 20 - -", 0, "link:sbg-lan-0", MarkerOutcome.Skipped, 0, 20, "", "" },
        { $"SBSTEP 12 fdb:sbx-lan-0:2.2.2.2 failed 2 1230 {B64("out\n")} {B64("RTNETLINK answers: File exists\n")}", 12, "fdb:sbx-lan-0:2.2.2.2",
            MarkerOutcome.Failed, 2, 1230, "out\n", "RTNETLINK answers: File exists\n" },
        { "SBSTEP 3 a%20b%0Ac%25 succeeded 0 0 - -", 3, "a b\nc%", MarkerOutcome.Succeeded, 0, 0, "", "" },
        { "SBSTEP 4 %E6%97%A5 undone 0 0 - -", 4, "日", MarkerOutcome.Undone, 0, 0, "", "" },
        { "SBSTEP 5 - nothing-to-undo - 0 - -", 5, "", MarkerOutcome.NothingToUndo, null, 0, "", "" },
        { "SBSTEP 6 %2D already-undone 1 0 - -", 6, "-", MarkerOutcome.AlreadyUndone, 1, 0, "", "" },
        { "SBSTEP 7 x undo-failed 255 5 - -", 7, "x", MarkerOutcome.UndoFailed, 255, 5, "", "" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Reads_a_marker_line(string line, int index, string id, MarkerOutcome outcome, int? exit, long duration, string stdout, string stderr)
    {
        Assert.True(ProgramMarkers.TryParse(line, out var marker));
        Assert.Equal(new ProgramMarker(index, id, outcome, exit, duration, stdout, stderr), marker);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SBSTEP")]
    [InlineData("SBSTEP ")]
    [InlineData(" SBSTEP 0 x skipped 0 0 - -")]
    [InlineData("SBSTEPX 0 x skipped 0 0 - -")]
    [InlineData("sbstep 0 x skipped 0 0 - -")]
    [InlineData("SBSTEP 0 x skipped 0 0 -")]
    [InlineData("SBSTEP 0 x skipped 0 0 - - -")]
    [InlineData("SBSTEP 0 x  skipped 0 0 - -")]
    [InlineData("SBSTEP -1 x skipped 0 0 - -")]
    [InlineData("SBSTEP +1 x skipped 0 0 - -")]
    [InlineData("SBSTEP 99999999999 x skipped 0 0 - -")]
    [InlineData("SBSTEP 0 x exploded 0 0 - -")]
    [InlineData("SBSTEP 0 x Skipped 0 0 - -")]
    [InlineData("SBSTEP 0 x skipped zero 0 - -")]
    [InlineData("SBSTEP 0 x skipped 0 -3 - -")]
    [InlineData("SBSTEP 0 x skipped 0 0 !!!! -")]
    [InlineData("SBSTEP 0 x skipped 0 0 - YW=j")]
    [InlineData("SBSTEP 0 x skipped 0 0 - YWJ")]
    [InlineData("SBSTEP 0 a%2 skipped 0 0 - -")]
    [InlineData("SBSTEP 0 a%ZZ skipped 0 0 - -")]
    [InlineData("SBSTEP 0 a'b skipped 0 0 - -")]
    [InlineData("SBEND 0")]
    [InlineData("RTNETLINK answers: File exists")]
    public void Refuses_any_other_line(string line)
    {
        Assert.False(ProgramMarkers.TryParse(line, out var marker));
        Assert.Null(marker);
    }

    [Fact]
    public void Lines_in_any_order_with_other_lines_between_give_the_same_markers()
    {
        string[] lines =
        [
            "SBSTEP 0 a skipped 0 0 - -", "noise", $"SBSTEP 1 b succeeded 0 10 {B64("hi")} -", "", "SBSTEP 2 c failed 1 0 - -", "SBEND 1",
        ];
        var forward = lines.Select(Parse).OfType<ProgramMarker>().ToList();
        var backward = lines.Reverse().Select(Parse).OfType<ProgramMarker>().OrderBy(m => m.Index).ToList();

        Assert.Equal([0, 1, 2], forward.Select(m => m.Index));
        Assert.Equal(forward, backward);
        Assert.Equal("hi", forward[1].StandardOutput);
    }

    [Theory]
    [InlineData(ProgramMarkers.OutputLimit - 1, false)]
    [InlineData(ProgramMarkers.OutputLimit, false)]
    [InlineData(ProgramMarkers.OutputLimit + 1, true)]
    [InlineData(ProgramMarkers.OutputLimit + 2, true)]
    public void Output_past_the_limit_is_cut_and_flagged(int length, bool cut)
    {
        var text = new string('z', length);
        Assert.True(ProgramMarkers.TryParse($"SBSTEP 0 x succeeded 0 0 {B64(text)} {B64(text)}", out var marker));
        Assert.Equal(text[..Math.Min(length, ProgramMarkers.OutputLimit)], marker!.StandardOutput);
        Assert.Equal(cut, marker.StandardOutputTruncated);
        Assert.Equal(cut, marker.StandardErrorTruncated);
    }

    [Fact]
    public void A_cut_that_ends_in_a_partial_base64_group_still_reads_when_it_is_past_the_limit()
    {
        var full = B64(new string('q', 6000));
        var ragged = full[..(ProgramMarkers.CutBase64Length + 3)];
        Assert.True(ProgramMarkers.TryParse($"SBSTEP 0 x failed 1 0 {ragged} -", out var marker));
        Assert.Equal(new string('q', ProgramMarkers.OutputLimit), marker!.StandardOutput);
        Assert.True(marker.StandardOutputTruncated);
    }

    [Theory]
    [InlineData("SBEND 0", true, 0)]
    [InlineData("SBEND 1", true, 1)]
    [InlineData("SBEND 125\r", true, 125)]
    [InlineData("SBEND", false, 0)]
    [InlineData("SBEND ", false, 0)]
    [InlineData("SBEND -1", false, 0)]
    [InlineData("SBEND 1 2", false, 0)]
    [InlineData("SBSTEP 0 x skipped 0 0 - -", false, 0)]
    public void Reads_the_end_line(string line, bool ok, int status)
    {
        Assert.Equal(ok, ProgramMarkers.TryParseEnd(line, out var read));
        Assert.Equal(status, read);
    }

    [Theory]
    [InlineData("link:sbg-lan-0", "link:sbg-lan-0")]
    [InlineData("fdb:sbx-lan-0:2.2.2.2", "fdb:sbx-lan-0:2.2.2.2")]
    [InlineData("a b", "a%20b")]
    [InlineData("100%", "100%25")]
    [InlineData("", "-")]
    [InlineData("-", "%2D")]
    [InlineData("x\n", "x%0A")]
    [InlineData("é", "%C3%A9")]
    public void Step_ids_encode_to_one_field_and_back(string id, string encoded)
    {
        Assert.Equal(encoded, ProgramMarkers.EncodeId(id));
        Assert.True(ProgramMarkers.TryParse($"SBSTEP 0 {encoded} skipped 0 0 - -", out var marker));
        Assert.Equal(id, marker!.StepId);
    }

    [Fact]
    public void Every_outcome_has_its_own_word()
    {
        var words = Enum.GetValues<MarkerOutcome>().Select(ProgramMarkers.Word).ToList();
        Assert.Equal(words.Count, words.Distinct().Count());
        Assert.All(words, w => Assert.Matches("^[a-z-]+$", w));
    }

    private static ProgramMarker? Parse(string line) => ProgramMarkers.TryParse(line, out var marker) ? marker : null;
}
