using System.Globalization;
using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Tests.Mp4.Hls;

/// <summary>
/// The playlist's printed durations keep a player's derived timestamp offset steady inside each segment. The model is
/// Shaka Player's segments mode: for every part it appended, offset = the part's start summed from the playlist minus
/// the part's first decode time; a change of a millisecond or more resets the media parser, and a negative offset is
/// set a millisecond higher than computed. A reset before a part without a key frame drops that part and the rest
/// of its segment (seen in Chromium: stalls at every segment's last part when joining a running stream).
/// </summary>
public class PlaylistDurationsTests
{
    private const uint Timescale = 90_000;

    private static IEnumerable<TestCaseData> Streams()
    {
        yield return new TestCaseData(new[] { 3000 }, 30, 7, 76.0).SetName("30 fps, parts of 7 frames, joined after 76 s");
        yield return new TestCaseData(new[] { 3000 }, 30, 7, 36_000.0).SetName("30 fps, joined after ten hours");
        yield return new TestCaseData(new[] { 3003 }, 30, 7, 500.0).SetName("29.97 fps");
        yield return new TestCaseData(new[] { 3600 }, 25, 6, 76.0).SetName("25 fps: durations exact in decimals");
        yield return new TestCaseData(new[] { 2999, 3000, 3001, 3000, 3000, 2999, 3001 }, 30, 7, 76.0)
            .SetName("a pipe's frame clock: durations of 2999 to 3001 ticks");
        yield return new TestCaseData(new[] { 1500 }, 60, 15, 90.0).SetName("60 fps, parts of 15 frames: exactly the part target");
        yield return new TestCaseData(new[] { 3750 }, 24, 6, 90.0).SetName("24 fps, parts of 6 frames: exactly the part target");
    }

    [TestCaseSource(nameof(Streams))]
    public void APlayerNeverResetsItsParserInsideASegment(int[] frameTicks, int framesPerSegment, int framesPerPart, double joinedAfterSeconds)
    {
        const int segments = 40;
        var (playlist, partDecodeTimes) = Playlist(frameTicks, framesPerSegment, framesPerPart, segments, joinedAfterSeconds);
        var parts = PartsAsPlayerSeesThem(playlist);
        Assert.That(parts, Has.Count.EqualTo(partDecodeTimes.Count), playlist);

        double? bufferOffset = null;
        var resets = new List<string>();
        for (int i = 0; i < parts.Count; i++)
        {
            double offset = parts[i].Start - partDecodeTimes[i];
            if (bufferOffset is null || Math.Abs(bufferOffset.Value - offset) >= 0.001)
            {
                if (!parts[i].Independent) resets.Add($"part {i} ({parts[i].Uri}): offset {offset:R} after {bufferOffset:R}");
                bufferOffset = offset < 0 ? offset + 0.001 : offset;
            }
        }
        Assert.That(resets, Is.Empty, "parser resets before parts without a key frame");

        // RFC 8216bis 4.4.4.9: no part is printed longer than PART-TARGET, also where parts are exactly the target.
        var target = double.Parse(playlist.Split('\n').First(l => l.StartsWith("#EXT-X-PART-INF:PART-TARGET="))[28..], CultureInfo.InvariantCulture);
        var durations = playlist.Split('\n').Where(l => l.StartsWith("#EXT-X-PART:DURATION="))
            .Select(l => double.Parse(l[21..l.IndexOf(',')], CultureInfo.InvariantCulture));
        Assert.That(durations, Is.All.LessThanOrEqualTo(target));
    }

    [Test]
    public void SegmentStartsStayWithinFiveMicrosecondsOfTheirDecodeTimes()
    {
        var (playlist, _) = Playlist([2999, 3000, 3001, 3003], 30, 7, 600, 0);
        double start = 0, real = 0;
        int k = 0;
        int[] ticks = [2999, 3000, 3001, 3003];
        foreach (var line in playlist.Split('\n'))
        {
            if (!line.StartsWith("#EXTINF:")) continue;
            start += double.Parse(line[8..^1], CultureInfo.InvariantCulture);
            for (int f = 0; f < 30; f++) real += ticks[k++ % ticks.Length] / (double)Timescale;
            Assert.That(start - real, Is.InRange(-6e-6, 6e-6), line);
        }
    }

    [Test]
    public void PartsOfACompleteSegmentAddUpToItsExtinf()
    {
        var (playlist, _) = Playlist([3000], 30, 7, 3, 10);
        long partUnits = 0;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-PART:DURATION="))
                partUnits += (long)Math.Round(double.Parse(line[21..line.IndexOf(',')], CultureInfo.InvariantCulture) * 100_000);
            else if (line.StartsWith("#EXTINF:"))
            {
                Assert.That(partUnits, Is.EqualTo((long)Math.Round(double.Parse(line[8..^1], CultureInfo.InvariantCulture) * 100_000)));
                partUnits = 0;
            }
        }
    }

    /// <summary>
    /// A window of complete segments, every one with its parts listed, starting at decode time
    /// <paramref name="joinedAfterSeconds"/> (the player counts from the window's start, so its offset is negative).
    /// </summary>
    private static (string Playlist, List<double> PartDecodeTimes) Playlist(int[] frameTicks, int framesPerSegment,
        int framesPerPart, int segments, double joinedAfterSeconds)
    {
        ulong decodeTime = (ulong)(joinedAfterSeconds * Timescale);
        var list = new List<PlaylistSegment>();
        var parts = new List<PlaylistPart[]?>();
        var partDecodeTimes = new List<double>();
        int frame = 0;
        for (int s = 0; s < segments; s++)
        {
            var segmentParts = new List<PlaylistPart>();
            ulong segmentTicks = 0;
            for (int f = 0; f < framesPerSegment; f += framesPerPart)
            {
                partDecodeTimes.Add(decodeTime / (double)Timescale);
                ulong ticks = 0;
                for (int i = f; i < Math.Min(f + framesPerPart, framesPerSegment); i++) ticks += (ulong)frameTicks[frame++ % frameTicks.Length];
                segmentParts.Add(new PlaylistPart(ticks, f == 0));
                segmentTicks += ticks;
                decodeTime += ticks;
            }
            list.Add(new PlaylistSegment(100 + s, segmentTicks, 0));
            parts.Add(segmentParts.ToArray());
        }
        var lowLatency = new LowLatencyInfo(22_500, parts.ToArray(), 100 + segments, [], 0);
        return (MediaPlaylistWriter.Write(Timescale, 1, 0, list.ToArray(), lowLatency), partDecodeTimes);
    }

    /// <summary>Each part's start as a player sums it from the playlist: segments from EXTINF, parts from their durations.</summary>
    private static List<(string Uri, double Start, bool Independent)> PartsAsPlayerSeesThem(string playlist)
    {
        var parts = new List<(string, double, bool)>();
        double segmentStart = 0, partStart = 0;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-PART:DURATION="))
            {
                double duration = double.Parse(line[21..line.IndexOf(',')], CultureInfo.InvariantCulture);
                int uri = line.IndexOf("URI=\"") + 5;
                parts.Add((line[uri..line.IndexOf('"', uri)], partStart, line.Contains("INDEPENDENT=YES")));
                partStart += duration;
            }
            else if (line.StartsWith("#EXTINF:"))
            {
                segmentStart += double.Parse(line[8..^1], CultureInfo.InvariantCulture);
                partStart = segmentStart;
            }
        }
        return parts;
    }
}
