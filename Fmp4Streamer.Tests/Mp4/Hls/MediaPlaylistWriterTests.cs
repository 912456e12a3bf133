using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Tests.Mp4.Hls;

public class MediaPlaylistWriterTests
{
    private static IEnumerable<TestCaseData> Playlists()
    {
        yield return new TestCaseData(90000u, 1, 0L, new[] { new PlaylistSegment(7, 90000, 0) },
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:7\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
            "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.00000,\nseg7.m4s\n").SetName("OneSegment");
        yield return new TestCaseData(90000u, 2, 0L, new[]
            {
                new PlaylistSegment(1700000000, 90003, 0),
                new PlaylistSegment(1700000001, 134999, 0),
            },
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1700000000\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
            "#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1.00003,\nseg1700000000.m4s\n#EXTINF:1.49999,\nseg1700000001.m4s\n")
            .SetName("MapOnceForTheSameInit");
        yield return new TestCaseData(1000u, 3, 2L, new[]
            {
                new PlaylistSegment(10, 2500, 1, Discontinuity: true),
                new PlaylistSegment(11, 2000, 1),
                new PlaylistSegment(12, 1000, 2, Discontinuity: true),
            },
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:10\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n" +
            "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init1.mp4\"\n#EXTINF:2.50000,\nseg10.m4s\n#EXTINF:2.00000,\nseg11.m4s\n" +
            "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init2.mp4\"\n#EXTINF:1.00000,\nseg12.m4s\n")
            .SetName("DiscontinuityAndNewMap");
    }

    [TestCaseSource(nameof(Playlists))]
    public void WritesThePlaylist(uint timescale, int target, long discontinuities, PlaylistSegment[] segments, string expected)
    {
        Assert.That(MediaPlaylistWriter.Write(timescale, target, discontinuities, segments), Is.EqualTo(expected));
    }

    [Test]
    public void LowLatencyPlaylistListsPartsAndHintsTheNext()
    {
        var segments = new[] { new PlaylistSegment(4, 90000, 0), new PlaylistSegment(5, 90000, 0) };
        var ll = new LowLatencyInfo(22500,
            [null, [new PlaylistPart(63000, true), new PlaylistPart(27000, false)]],
            6, [new PlaylistPart(21000, true)], 0);
        Assert.That(MediaPlaylistWriter.Write(90000, 1, 0, segments, ll), Is.EqualTo(
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n" +
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.75006\n#EXT-X-PART-INF:PART-TARGET=0.25002\n" +
            "#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4\"\n" +
            "#EXTINF:1.00000,\nseg4.m4s\n" +
            // A part after the first starts 20 µs late (PlaylistDurations); the last one ends with its segment.
            "#EXT-X-PART:DURATION=0.70002,URI=\"seg5.0.m4s\",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.29998,URI=\"seg5.1.m4s\"\n" +
            "#EXTINF:1.00000,\nseg5.m4s\n" +
            "#EXT-X-PART:DURATION=0.23335,URI=\"seg6.0.m4s\",INDEPENDENT=YES\n" +
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg6.1.m4s\"\n"));
    }

    [Test]
    public void LowLatencyOpenSegmentAfterNewParametersGetsItsDiscontinuityAndMap()
    {
        var ll = new LowLatencyInfo(22500, [null], 9, [], 1, OpenDiscontinuity: true);
        string text = MediaPlaylistWriter.Write(90000, 1, 0, [new PlaylistSegment(8, 90000, 0)], ll);
        Assert.That(text, Does.EndWith("seg8.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init1.mp4\"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg9.0.m4s\"\n"));
    }

    [Test]
    public void ProgramDateTimePrecedesEachSegmentThatHasOne()
    {
        var t = new DateTime(2026, 11, 24, 7, 27, 55, 123, DateTimeKind.Utc);
        string text = MediaPlaylistWriter.Write(90000, 1, 0, [
            new PlaylistSegment(1, 90000, 0, ProgramDateTime: t),
            new PlaylistSegment(2, 90000, 0, ProgramDateTime: t.AddSeconds(1))]);
        Assert.That(text, Does.EndWith(
            "#EXT-X-PROGRAM-DATE-TIME:2026-11-24T07:27:55.123Z\n#EXTINF:1.00000,\nseg1.m4s\n" +
            "#EXT-X-PROGRAM-DATE-TIME:2026-11-24T07:27:56.123Z\n#EXTINF:1.00000,\nseg2.m4s\n"));
    }

    [Test]
    public void HasNoEndListAndUsesRelativeUris()
    {
        string text = MediaPlaylistWriter.Write(90000, 1, 0, [new PlaylistSegment(1, 90000, 0)]);
        Assert.That(text, Does.Not.Contain("ENDLIST"), "a live playlist");
        Assert.That(text, Does.Not.Contain("/"));
        Assert.That(text, Does.Not.Contain("\r"));
    }

    [Test]
    public void EmptyWindowIsRejected()
    {
        Assert.Throws<ArgumentException>(() => MediaPlaylistWriter.Write(90000, 1, 0, ReadOnlySpan<PlaylistSegment>.Empty));
    }

    // RFC 8216bis 4.4.3.1: the EXTINF rounded to the nearest integer must not exceed the target duration.
    [TestCase(90000ul, 90000u, 1)]
    [TestCase(134999ul, 90000u, 1)]
    [TestCase(135000ul, 90000u, 2)]
    [TestCase(1ul, 90000u, 1)]
    [TestCase(0ul, 90000u, 1)]
    [TestCase(900000ul, 90000u, 10)]
    [TestCase(2500ul, 1000u, 3)]
    public void TargetDurationIsTheRoundedDurationAtLeastOne(ulong ticks, uint timescale, int expected)
    {
        Assert.That(MediaPlaylistWriter.TargetDurationFor(ticks, timescale), Is.EqualTo(expected));
    }
}
