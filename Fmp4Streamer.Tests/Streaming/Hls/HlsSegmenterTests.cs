using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Streaming.Hls;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Streaming.Hls;

public class HlsSegmenterTests
{
    private sealed class Waiter : IHlsWaiter
    {
        public int Calls;
        public bool OnHlsUpdate(HlsSegmenter segmenter)
        {
            Calls++;
            return true;
        }
    }

    private EventLoop _loop = null!;
    private FakeLiveStream _stream = null!;

    [SetUp]
    public void SetUp()
    {
        _loop = new EventLoop();
        _stream = new FakeLiveStream();
    }

    [TearDown]
    public void TearDown() => _loop.Dispose();

    private HlsSegmenter Create(HlsOptions? options = null)
    {
        var hls = new HlsSegmenter(_loop, _stream, options ?? new HlsOptions());
        hls.Touch();
        return hls;
    }

    /// <summary>Publishes <paramref name="frames"/> 30 fps frames with a key frame every <paramref name="gop"/>.</summary>
    private void Publish(int frames, int gop, int size = 200)
    {
        for (int i = 0; i < frames; i++) _stream.Publish(_stream.Sequence % gop == 0, size);
    }

    private static string Text(HlsPlaylist? playlist) => playlist!.ToString();

    // (key-frame interval in frames at 30 fps, expected frames per segment, expected target duration)
    [TestCase(30, 30, 1)]   // 1 s GOP: one per segment
    [TestCase(15, 30, 1)]   // 0.5 s GOP: two per segment, at least the 1 s minimum
    [TestCase(60, 60, 2)]   // 2 s GOP: the key-frame interval
    [TestCase(20, 40, 1)]   // 0.67 s GOP: 1.33 s segments, rounded target 1
    [TestCase(100, 100, 3)] // 3.33 s GOP
    public void CutsAtTheFirstKeyFrameAfterTheMinimum(int gop, int framesPerSegment, int target)
    {
        var hls = Create();
        Publish(framesPerSegment * 4 + 1, gop);
        Assert.That(hls.SegmentCount, Is.EqualTo(4));
        Assert.That(hls.TargetDuration, Is.EqualTo(target));
        var first = hls.FindSegment(FirstSequence(hls))!;
        for (long n = FirstSequence(hls); n < FirstSequence(hls) + 4; n++)
        {
            var s = hls.FindSegment(n)!;
            Assert.That(s.Count, Is.EqualTo(framesPerSegment));
            Assert.That(s[0].IsKeyFrame, Is.True, "every segment starts with a key frame");
            Assert.That(s.DurationTicks, Is.EqualTo((ulong)framesPerSegment * 3000));
            Assert.That(s.Bytes, Is.EqualTo(framesPerSegment * 200L));
        }
        Assert.That(Text(hls.MediaPlaylist), Does.Contain($"#EXT-X-TARGETDURATION:{target}\n"));
        Assert.That(Text(hls.MediaPlaylist), Does.Contain("#EXTINF:" + (framesPerSegment / 30.0).ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture) + ",\n"));
        Assert.That(first.Init, Is.SameAs(_stream.Init));
    }

    // (minimum segment ms, key-frame interval in frames at 30 fps, expected frames per segment, expected target)
    [TestCase(2000, 15, 60, 2)]  // 0.5 s GOP: four per segment, not cut early at the 1 s a fresh target would allow
    [TestCase(3000, 30, 90, 3)]
    [TestCase(1500, 15, 45, 2)]  // 1.5 s rounds to a target of 2
    [TestCase(2000, 90, 90, 3)]  // 3 s GOP: the key-frame interval wins
    public void ALongerMinimumHoldsWithFrequentKeyFrames(int minimumMs, int gop, int framesPerSegment, int target)
    {
        var hls = Create(new HlsOptions { MinSegmentDuration = TimeSpan.FromMilliseconds(minimumMs), WindowSegments = 10 });
        Publish(framesPerSegment * 4 + 1, gop);
        Assert.That(hls.SegmentCount, Is.EqualTo(4));
        Assert.That(hls.TargetDuration, Is.EqualTo(target));
        for (long n = FirstSequence(hls); n < FirstSequence(hls) + 4; n++)
            Assert.That(hls.FindSegment(n)!.Count, Is.EqualTo(framesPerSegment));
        hls.Close();
    }

    // (part target ms, frame ticks at 90 kHz, expected frames per full part)
    [TestCase(250, 3000, 7)]   // 30 fps: 7 frames = 233 ms, an 8th would pass 250 ms
    [TestCase(200, 3000, 6)]
    [TestCase(250, 18000, 1)]  // 5 fps: one 200 ms frame per part
    [TestCase(100, 18000, 1)]  // frames longer than the target: one frame per part, the target stays as configured
    public void PartsStayWithinTheTargetAndTileTheSegment(int targetMs, int frameTicks, int framesPerPart)
    {
        _stream.FragmentDuration = (uint)frameTicks;
        var hls = Create(new HlsOptions { PartTarget = TimeSpan.FromMilliseconds(targetMs) });
        int framesPerSecond = 90000 / frameTicks;
        Publish(framesPerSecond * 3 + 2, framesPerSecond);
        ulong target = (ulong)(targetMs * 90);
        // The configured target and the 20 µs a segment's first part may gain in print (PlaylistDurations).
        Assert.That(Text(hls.MediaPlaylist), Does.Contain("#EXT-X-PART-INF:PART-TARGET=" + (target / 90000.0 + 0.00002).ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture) + "\n"));
        var segment = hls.FindSegment(FirstSequence(hls))!;
        ulong sum = 0;
        int fragments = 0;
        for (int p = 0; p < segment.PartCount; p++)
        {
            Assert.That(segment.PartStart(p), Is.EqualTo(fragments), "parts are contiguous");
            Assert.That(segment.PartTicks(p), Is.LessThanOrEqualTo(Math.Max(target, (ulong)frameTicks)));
            if (p < segment.PartCount - 1) Assert.That(segment.PartEnd(p) - segment.PartStart(p), Is.EqualTo(framesPerPart));
            Assert.That(segment.ToPlaylistPart(p).Independent, Is.EqualTo(p == 0));
            sum += segment.PartTicks(p);
            fragments = segment.PartEnd(p);
        }
        Assert.That(fragments, Is.EqualTo(segment.Count));
        Assert.That(sum, Is.EqualTo(segment.DurationTicks));
        // The open segment's finished parts are listed with a hint for the next one.
        Assert.That(hls.OpenSequence, Is.EqualTo(FirstSequence(hls) + 3));
        int openParts = framesPerPart == 1 ? 1 : 0; // two frames published into it
        Assert.That(Text(hls.MediaPlaylist), Does.EndWith($"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg{hls.OpenSequence}.{openParts}.m4s\"\n"));
        Assert.That(hls.Has(hls.OpenSequence - 1, -1), Is.True);
        Assert.That(hls.Has(hls.OpenSequence, -1), Is.False, "the open segment is not complete");
    }

    [Test]
    public void PartTargetZeroTurnsLowLatencyOff()
    {
        var hls = Create(new HlsOptions { PartTarget = TimeSpan.Zero });
        Publish(61, 30);
        Assert.That(hls.LowLatency, Is.False);
        Assert.That(Text(hls.MediaPlaylist), Does.Not.Contain("#EXT-X-PART"));
        Assert.That(Text(hls.MediaPlaylist), Does.Not.Contain("SERVER-CONTROL"));
    }

    // A viewer joining asks for a key frame, and the camera's 1 s rhythm restarts there (as the test pattern does).
    // (frame of the extra key frame within the second segment, expected frames of the segments from the second on)
    [TestCase(27, new[] { 27, 30, 30, 30 })] // waiting for the next regular one would make 1.9 s: cut early
    [TestCase(9, new[] { 39, 30, 30 })]  // 1.3 s still rounds to the 1 s target: no early cut
    [TestCase(5, new[] { 35, 30, 30 })]  // below the quarter-second floor
    public void ExtraKeyFramesNeverForceALongerTargetDuration(int extraAt, int[] expectedFrames)
    {
        var hls = Create();
        var keys = new List<bool>();
        for (int i = 0; i < 60; i++) keys.Add(i % 30 == 0);                  // two regular seconds
        for (int i = 0; i < extraAt; i++) keys.Add(i == 0);                  // the third second, cut short
        for (int i = 0; i < 95; i++) keys.Add(i % 30 == 0);                  // the rhythm restarts at the request
        foreach (bool key in keys) _stream.Publish(key);
        long first = FirstSequence(hls);
        var frames = new List<int>();
        for (long n = first + 2; hls.FindSegment(n) is { } s; n++) frames.Add(s.Count);
        Assert.That(hls.FindSegment(first + 1)!.Count, Is.EqualTo(30));
        Assert.That(frames, Is.EqualTo(expectedFrames));
        Assert.That(hls.TargetDuration, Is.EqualTo(1));
    }

    [Test]
    public void WithoutKeyFramesItStartsOverAndNeverReusesANumber()
    {
        var hls = Create(new HlsOptions { MaxSegmentDuration = TimeSpan.FromSeconds(2) });
        Publish(61, 30);
        long open = hls.OpenSequence;
        for (int i = 0; i < 61; i++) _stream.Publish(false);    // a camera that stopped sending key frames
        Assert.That(hls.MediaPlaylist, Is.Null, "nothing decodable to list");
        Assert.That(_stream.Pool.Outstanding, Is.LessThanOrEqualTo(1));
        _loop.RunOnce(50);                                         // rejoins: the hub asks the camera for a key frame
        Assert.That(_stream.SubscribeCalls, Is.EqualTo(2));
        for (int i = 0; i < 31; i++) _stream.Publish(i % 30 == 0); // the requested key frame, a second, the next
        Assert.That(hls.FindSegment(open + 1), Is.Not.Null);
        Assert.That(hls.FindSegment(open), Is.Null, "the dropped segment's number is skipped");
        hls.Close();
    }

    [Test]
    public void WindowIsBoundedAndReleasesWhatLeavesIt()
    {
        var hls = Create(new HlsOptions { WindowSegments = 3 });
        Publish(30 * 8 + 5, 30);
        Assert.That(hls.SegmentCount, Is.EqualTo(3));
        long first = FirstSequence(hls);
        Assert.That(hls.FindSegment(first - 1), Is.Null, "left the window");
        Assert.That(hls.FindSegment(first + 3), Is.Null, "the open segment is not listed");
        // Three closed segments and the open one hold their fragments; the rest went back to the pool.
        Assert.That(_stream.Pool.Outstanding, Is.EqualTo(3 * 30 + 5));
        string playlist = Text(hls.MediaPlaylist);
        Assert.That(playlist, Does.Contain($"#EXT-X-MEDIA-SEQUENCE:{first}\n"));
        Assert.That(playlist.Split("#EXTINF").Length - 1, Is.EqualTo(3));
        Assert.That(playlist, Does.Contain($"seg{first + 2}.m4s\n"));

        hls.Close();
        Assert.That(_stream.Pool.Outstanding, Is.Zero, "every fragment released");
        Assert.That(_stream.SubscriberCount, Is.Zero);
        Assert.That(hls.MediaPlaylist, Is.Null);
    }

    [Test]
    public void MediaSequenceAdvancesByOnePerRemovedSegment()
    {
        var hls = Create(new HlsOptions { WindowSegments = 4 });
        Publish(30 * 4 + 1, 30);
        long before = FirstSequence(hls);
        Publish(30 * 3, 30);
        Assert.That(FirstSequence(hls), Is.EqualTo(before + 3));
    }

    [Test]
    public void SegmentStaysValidWhileSentAfterLeavingTheWindow()
    {
        var hls = Create(new HlsOptions { WindowSegments = 2 });
        Publish(61, 30);
        var held = hls.FindSegment(FirstSequence(hls))!;
        held.Retain(); // a connection sending it
        Publish(90, 30);
        Assert.That(hls.FindSegment(held.Sequence), Is.Null);
        Assert.That(held.Count, Is.EqualTo(30));
        Assert.That(held[0].Length, Is.EqualTo(200), "fragments still referenced");
        int outstanding = _stream.Pool.Outstanding;
        held.Release();
        Assert.That(_stream.Pool.Outstanding, Is.EqualTo(outstanding - 30));
    }

    [Test]
    public void WaitersAreAnsweredOutsideTheFanOutOnceTheFirstSegmentExists()
    {
        var hls = Create();
        var waiter = new Waiter();
        hls.AddWaiter(waiter);
        Publish(30, 30);
        _loop.RunOnce(0);
        Assert.That(waiter.Calls, Is.Zero, "no segment yet");
        Publish(1, 30);
        Assert.That(waiter.Calls, Is.Zero, "not inside the hub's callback");
        _loop.RunOnce(50);
        Assert.That(waiter.Calls, Is.EqualTo(1));
        Assert.That(hls.MasterPlaylist, Is.Not.Null);
    }

    [Test]
    public void IdleSegmenterUnsubscribesSoTheCameraCanSleep()
    {
        var hls = Create(new HlsOptions { ClientIdleTimeout = TimeSpan.FromMilliseconds(100) });
        Assert.That(_stream.SubscriberCount, Is.EqualTo(1));
        Publish(31, 30);
        Thread.Sleep(60);
        hls.Touch();
        _loop.RunOnce(60);
        Assert.That(hls.IsActive, Is.True, "a request restarted the idle clock");
        for (int i = 0; i < 10 && hls.IsActive; i++) _loop.RunOnce(50);
        Assert.That(hls.IsActive, Is.False);
        Assert.That(_stream.SubscriberCount, Is.Zero);
        Assert.That(_stream.Pool.Outstanding, Is.Zero);
        hls.Touch();
        Assert.That(_stream.SubscriberCount, Is.EqualTo(1), "the next request wakes it");
        hls.Close();
    }

    [Test]
    public void NewParameterSetsStartANewInitGenerationBehindADiscontinuity()
    {
        var hls = Create();
        Publish(61, 30);
        var oldInit = _stream.Init;
        _stream.Init = FakeLiveStream.MakeInit("avc1.640028");
        _stream.Reset();
        Assert.That(_stream.SubscriberCount, Is.EqualTo(1), "rejoins after the callback, not inside it");
        _loop.RunOnce(50);
        Publish(61, 30);
        string playlist = Text(hls.MediaPlaylist);
        Assert.That(playlist, Does.Contain("#EXT-X-MAP:URI=\"init.mp4\"\n"));
        Assert.That(playlist, Does.Contain("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init1.mp4\"\n"));
        Assert.That(hls.FindInit(0), Is.SameAs(oldInit));
        Assert.That(hls.FindInit(1), Is.SameAs(_stream.Init));
        Assert.That(Text(hls.MasterPlaylist), Does.Contain("CODECS=\"avc1.640028\""));
        hls.Close();
    }

    [Test]
    public void MasterPlaylistMeasuresBandwidthFromTheSegments()
    {
        var hls = Create();
        _stream.Publish(true, 1000);
        Publish(29, 30, 100);   // 1 s: 1000 + 2900 bytes
        _stream.Publish(true, 1000);
        Publish(29, 30, 500);   // 1 s: 1000 + 14500 bytes
        _stream.Publish(true, 100);
        string master = Text(hls.MasterPlaylist);
        Assert.That(master, Does.Contain("BANDWIDTH=136400,"), "peak segment: 15500 B in 1 s, plus a tenth");
        Assert.That(master, Does.Contain("AVERAGE-BANDWIDTH=77600,"));
        Assert.That(master, Does.Contain("RESOLUTION=640x480,FRAME-RATE=30.000\n"));
        Assert.That(master, Does.EndWith("\nstreaminf.m3u8\n"));
    }

    [TestCase(0, "640x480")]
    [TestCase(90, "480x640")]
    [TestCase(180, "640x480")]
    [TestCase(270, "480x640")]
    public void ResolutionIsTheRotatedDisplaySize(int rotation, string resolution)
    {
        var plain = FakeLiveStream.MakeInit("avc1.64001f");
        _stream.Init = new InitSegment(plain.Bytes, plain.Codecs, 640, 480, 90000, rotation);
        var hls = Create();
        Publish(61, 30);
        Assert.That(Text(hls.MasterPlaylist), Does.Contain($",RESOLUTION={resolution},"));
    }

    [Test]
    public void RebuildingPlaylistsWithPartsAllocatesNothingPerFrame()
    {
        // Parts on, a segment closing every second: the playlists are rebuilt about five times a second.
        var hls = Create(new HlsOptions { WindowSegments = 6 });
        for (int i = 0; i < 5; i++) _stream.Pool.Rent(200).Release();
        Publish(30 * 20, 30);
        Assert.That(hls.LowLatency && hls.IsStartable, Is.True);
        long bytes = AllocationProbe.MinimumBytes(5, () => Publish(30 * 4, 30));
        TestContext.Out.WriteLine($"{bytes} bytes for 120 frames with HLS active");
        Assert.That(bytes, Is.Zero);
        Assert.That(Text(hls.MediaPlaylist), Does.Contain("#EXT-X-PART:"));
    }

    [Test]
    public void APlaylistBeingSentIsNeverWrittenOver()
    {
        var hls = Create();
        Publish(38, 30);
        var sending = hls.MediaPlaylist!;
        sending.Retain(); // a connection sending it
        string before = sending.ToString();
        Publish(60, 30);
        Assert.That(hls.MediaPlaylist, Is.Not.SameAs(sending));
        Assert.That(sending.ToString(), Is.EqualTo(before));
        sending.Release();
        Publish(10, 30);
        Assert.That(sending.References, Is.LessThanOrEqualTo(1), "released buffers are reused");
    }

    [Test]
    public void TheFirstPlaylistWaitsForAPartOfTheOpenSegment()
    {
        var hls = Create();
        Publish(31, 30); // one segment
        Assert.That(hls.MediaPlaylist, Is.Not.Null);
        Assert.That(hls.IsStartable, Is.False, "one segment: Shaka Player 5.2 fails to load it");
        Publish(60, 30); // three segments, and the open one holds its key frame only
        Assert.That(hls.IsStartable, Is.False, "no part of the open segment yet");
        Assert.That(hls.DecidePlaylist(false, -1, -1), Is.EqualTo(HlsDecision.Wait));
        Publish(7, 30);  // the 8th frame of the open segment closes its first part
        Assert.That(hls.IsStartable, Is.True);
        Assert.That(hls.DecidePlaylist(true, -1, -1), Is.EqualTo(HlsDecision.Ready));
        Assert.That(Text(hls.MediaPlaylist), Does.Contain($"URI=\"seg{hls.OpenSequence}.0.m4s\",INDEPENDENT=YES\n"));
        Publish(23, 30); // the next cut: no part of the new open segment yet, but players have started
        Assert.That(hls.DecidePlaylist(false, -1, -1), Is.EqualTo(HlsDecision.Ready));
    }

    [Test]
    public void PlainHlsIsStartableWithThreeSegments()
    {
        var hls = Create(new HlsOptions { PartTarget = TimeSpan.Zero });
        Publish(61, 30);
        Assert.That(hls.DecidePlaylist(false, -1, -1), Is.EqualTo(HlsDecision.Wait), "two segments");
        Publish(31, 30);
        Assert.That(hls.DecidePlaylist(false, -1, -1), Is.EqualTo(HlsDecision.Ready));
    }

    [Test]
    public void DecidesBlockingReloadsAndParts()
    {
        var hls = Create();
        Publish(38, 30);
        long open = hls.OpenSequence;
        Assert.That(hls.DecidePlaylist(false, open, 0), Is.EqualTo(HlsDecision.Ready));
        Assert.That(hls.DecidePlaylist(false, open, 1), Is.EqualTo(HlsDecision.Wait));
        Assert.That(hls.DecidePlaylist(false, open + 2, -1), Is.EqualTo(HlsDecision.Wait));
        Assert.That(hls.DecidePlaylist(false, open + 3, -1), Is.EqualTo(HlsDecision.BadRequest));
        Assert.That(hls.DecidePart(open, 0), Is.EqualTo(HlsDecision.Ready));
        Assert.That(hls.DecidePart(open, 1), Is.EqualTo(HlsDecision.Wait), "the hinted part");
        Assert.That(hls.DecidePart(open + 1, 0), Is.EqualTo(HlsDecision.Wait), "the next segment's first part");
        Assert.That(hls.DecidePart(open, 3), Is.EqualTo(HlsDecision.NotFound));
        Assert.That(hls.DecidePart(open + 1, 1), Is.EqualTo(HlsDecision.NotFound));
        Assert.That(hls.DecidePart(open + 2, 0), Is.EqualTo(HlsDecision.NotFound), "two segments past the hint");
        Assert.That(hls.DecidePart(open - 5, 0), Is.EqualTo(HlsDecision.NotFound), "left the window");
    }

    [Test]
    public void DiscontinuitySequenceCountsTheTagsThatLeftTheWindow()
    {
        var hls = Create(new HlsOptions { WindowSegments = 3 });
        Publish(30 * 4 + 1, 30);
        _stream.Init = FakeLiveStream.MakeInit("avc1.640028");
        _stream.Reset();
        _loop.RunOnce(50);
        var counted = new Dictionary<string, long>();
        int changes = 0;
        long lastSequence = -1;
        for (int i = 0; i < 8; i++)
        {
            Publish(30, 30);
            var playlist = ParsePlaylist(Text(hls.MediaPlaylist));
            if (playlist.DiscontinuitySequence != lastSequence) changes++;
            lastSequence = playlist.DiscontinuitySequence;
            // RFC 8216bis 6.2.2: a segment's discontinuity sequence number never changes between reloads.
            foreach (var (uri, number) in playlist.SegmentDiscontinuityNumbers)
            {
                if (counted.TryGetValue(uri, out long seen)) Assert.That(number, Is.EqualTo(seen), uri + "\n" + playlist.Text);
                counted[uri] = number;
            }
        }
        Assert.That(lastSequence, Is.EqualTo(1), "the discontinuity left the window");
        Assert.That(changes, Is.EqualTo(2), "0 while its tag is listed, then 1");
    }

    [Test]
    public void TfdtOriginMakesEachSegmentStartAtThePlaylistPosition()
    {
        // The shared timeline started long ago (the camera ran before); HLS players place segment N at the sum of
        // the EXTINF before it since the segmenter started, across the discontinuity of a restarted source.
        _stream.SkipFrames(30 * 3600);
        var hls = Create(new HlsOptions { WindowSegments = 10 });
        Publish(30 * 3 + 1, 30);
        _stream.SkipFrames(45);                   // frames lost: decode time jumps by 1.5 s
        Publish(30 * 3 + 8, 30);
        ulong position = 0;
        int discontinuities = 0;
        for (long n = FirstSequence(hls); hls.FindSegment(n) is { } s; n++)
        {
            Assert.That(s.FirstDecodeTime - s.DecodeTimeOrigin, Is.EqualTo(position), "segment " + n);
            position += s.DurationTicks;
            if (s.Discontinuity) discontinuities++;
        }
        Assert.That(discontinuities, Is.EqualTo(1), "the lost frames are marked");
        var open = hls.FindPart(hls.OpenSequence, 0)!;
        Assert.That(open.FirstDecodeTime - open.DecodeTimeOrigin, Is.EqualTo(position), "the open segment's parts too");
    }

    [Test]
    public void ProgramDateTimeFollowsTheMediaTimelineAndRestartsAfterAStall()
    {
        _stream.CaptureStartUs = MonotonicClock.NowUs - 10_000_000;
        _stream.FragmentDuration = 3003; // 29.97 fps: EXTINF is not whole milliseconds
        var hls = Create(new HlsOptions { WindowSegments = 10 });
        Publish(30 * 4 + 1, 30);
        _stream.CaptureStartUs += 3_000_000;   // the source stalled for 3 s; the hub's timeline stays continuous
        Publish(30 * 3 + 1, 30);
        var playlist = ParsePlaylist(Text(hls.MediaPlaylist));
        int breaks = 0;
        for (int i = 1; i < playlist.Segments.Count; i++)
        {
            var (previous, current) = (playlist.Segments[i - 1], playlist.Segments[i]);
            double step = (current.Pdt - previous.Pdt).TotalSeconds;
            if (current.Discontinuity)
            {
                breaks++;
                Assert.That(step, Is.EqualTo(previous.Seconds + 3).Within(0.01), "re-anchored on the wall clock");
            }
            else
            {
                Assert.That(step, Is.EqualTo(previous.Seconds).Within(0.0011), $"PDT follows EXTINF: {playlist.Text}");
            }
        }
        Assert.That(breaks, Is.EqualTo(1), playlist.Text);
    }

    private sealed record ParsedSegment(string Uri, double Seconds, DateTime Pdt, bool Discontinuity);

    private sealed record ParsedPlaylist(string Text, long DiscontinuitySequence, List<ParsedSegment> Segments,
        List<(string Uri, long Number)> SegmentDiscontinuityNumbers);

    private static ParsedPlaylist ParsePlaylist(string text)
    {
        long sequence = 0, number = -1;
        var segments = new List<ParsedSegment>();
        var numbers = new List<(string, long)>();
        bool discontinuity = false;
        DateTime pdt = default;
        double seconds = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) sequence = long.Parse(line[30..]);
            else if (line == "#EXT-X-DISCONTINUITY") discontinuity = true;
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:"))
                pdt = DateTime.Parse(line[25..], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
            else if (line.StartsWith("#EXTINF:")) seconds = double.Parse(line[8..^1], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("seg"))
            {
                if (number < 0) number = sequence;
                else if (discontinuity) number++;
                segments.Add(new ParsedSegment(line, seconds, pdt, discontinuity));
                numbers.Add((line, number));
                discontinuity = false;
            }
        }
        return new ParsedPlaylist(text, sequence, segments, numbers);
    }

    private static long FirstSequence(HlsSegmenter hls)
    {
        string playlist = Text(hls.MediaPlaylist);
        int at = playlist.IndexOf("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal) + 22;
        return long.Parse(playlist.AsSpan(at, playlist.IndexOf('\n', at) - at));
    }
}
