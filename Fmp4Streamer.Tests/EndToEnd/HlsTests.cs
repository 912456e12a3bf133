using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fmp4Streamer.Tests.Mp4;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Live HLS from the built binary, checked by clients nobody here wrote (ffmpeg, hls.js) and line by line.</summary>
[Category("EndToEnd")]
[NonParallelizable]
public class HlsTests
{
    private static readonly TimeSpan DecodeTimeout = TimeSpan.FromSeconds(40);

    [Test]
    public void FfmpegDecodesTheMasterPlaylist()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var (result, frames) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.m3u8", 60, DecodeTimeout);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + "\n" + daemon.Log);
            Assert.That(result.StdErr, Is.Empty);
            Assert.That(frames, Is.GreaterThanOrEqualTo(60));
        });
        var probe = ToolRun.Probe(daemon.BaseUrl + "/streaminf.m3u8", DecodeTimeout);
        Assert.That((probe["codec_name"], probe["width"], probe["height"]), Is.EqualTo(("h264", "640", "480")));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void APlaylistRequestWakesTheSleepingCameraAndIsAnsweredWithTheFirstSegment()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        Thread.Sleep(300);
        Assert.That(daemon.Log, Does.Not.Contain("starting test pattern"), "asleep while nobody watches");
        using var http = new HttpClient { BaseAddress = new Uri(daemon.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        var response = http.GetAsync("stream.m3u8").Result;
        clock.Stop();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), daemon.Log);
        Assert.That(daemon.Log, Does.Contain("starting test pattern"));
        string media = http.GetStringAsync("streaminf.m3u8").Result;
        Assert.That(media, Does.Contain("#EXTINF:"), "the held request was answered once a segment existed");
        TestContext.Out.WriteLine($"first playlist after {clock.ElapsedMilliseconds} ms");
    }

    [Test]
    public void HlsJsInChromiumPlaysTheMasterPlaylist()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var report = BrowserPlayback.Play(daemon.BaseUrl + "/stream.m3u8", 6, readStrip: true, hlsJs: true);
        if (report.Latencies.Count > 0)
        {
            // The figure the README quotes: glass to glass, read from the test pattern's strip in the shown frame.
            var late = report.Latencies.Skip(report.Latencies.Count / 2).Select(l => l.LatencyMs).OrderBy(v => v).ToList();
            TestContext.Progress.WriteLine($"hls.js glass-to-glass latency (second half): median {late[late.Count / 2]:0} ms, " +
                $"min {late[0]:0} ms, max {late[^1]:0} ms");
        }
        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.Raw);
            Assert.That(report.Errors, Is.Empty, report.Raw);
            Assert.That((report.Width, report.Height), Is.EqualTo((640, 480)));
            Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(5.0), "currentTime advanced 5 s: " + report.Raw);
            Assert.That(report.Raw, Does.Match("\"hlsParts\":[1-9]"), "hls.js took the Low-Latency HLS parts: " + report.Raw);
        });
    }

    [Test]
    public void PlaylistIsAnHonestSlidingWindowOfKeyFrameSegments()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        using var http = new HttpClient { BaseAddress = new Uri(daemon.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(20) };

        var master = http.GetAsync("stream.m3u8").Result;
        Assert.That(master.StatusCode, Is.EqualTo(HttpStatusCode.OK), daemon.Log);
        Assert.That(master.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/vnd.apple.mpegurl"));
        Assert.That((master.Headers.CacheControl!.MaxAge, master.Headers.CacheControl.SharedMaxAge), Is.EqualTo((TimeSpan.Zero, TimeSpan.FromSeconds(1))));
        string masterText = master.Content.ReadAsStringAsync().Result;
        Assert.That(masterText, Does.Match(@"#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,CODECS=""avc1\.[0-9a-f]{6}"",RESOLUTION=640x480,FRAME-RATE=\d+\.\d{3}\nstreaminf\.m3u8\n"));

        byte[] init = http.GetByteArrayAsync("init.mp4").Result;
        var mdhd = BoxWalker.Find(init, "moov/trak/mdia/mdhd");
        uint timescale = BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(mdhd.Offset + 20));

        MediaPlaylist? previous = null, first = null;
        var checkedSegments = new HashSet<long>();
        ulong expectedDecodeTime = 0;
        long lastChecked = -1;
        int polls = 0, removals = 0, partsChecked = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var response = http.GetAsync("streaminf.m3u8").Result;
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.CacheControl!.MaxAge, Is.EqualTo(TimeSpan.Zero), "browsers ask again every time");
            var playlist = MediaPlaylist.Parse(response.Content.ReadAsStringAsync().Result);
            polls++;
            first ??= playlist;
            Assert.That(playlist.Map, Is.EqualTo("init.mp4"), playlist.Text);
            Assert.That(playlist.Text, Does.Not.Contain("#EXT-X-ENDLIST"));
            for (int i = 0; i < playlist.Segments.Count; i++)
            {
                var (uri, seconds) = playlist.Segments[i];
                Assert.That(uri, Is.EqualTo($"seg{playlist.MediaSequence + i}.m4s"), "the URI names the media sequence number");
                // RFC 8216bis 4.4.3.1: the duration rounded to the nearest integer <= target duration.
                Assert.That(Math.Round(seconds, MidpointRounding.AwayFromZero), Is.LessThanOrEqualTo(playlist.TargetDuration), playlist.Text);
                Assert.That(seconds, Is.InRange(0.9, 1.6), "1 s key-frame interval: about 1 s segments");
            }
            // The newest segment began about a second ago on the wall clock (capture time placed on it).
            var pdt = System.Text.RegularExpressions.Regex.Matches(playlist.Text, @"#EXT-X-PROGRAM-DATE-TIME:(\S+)\n");
            Assert.That(pdt, Has.Count.EqualTo(playlist.Segments.Count));
            var newest = DateTime.Parse(pdt[^1].Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.That(DateTime.UtcNow - newest, Is.InRange(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4)), pdt[^1].Value);
            // Low-Latency HLS: parts within the part target, tiling the segments they belong to.
            Assert.That(playlist.PartTarget, Is.InRange(0.2, 0.5), playlist.Text);
            Assert.That(playlist.Text, Does.Contain("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK="));
            Assert.That(playlist.Hint, Is.Not.Null);
            foreach (var list in playlist.Parts.Values.Append(playlist.OpenParts))
                foreach (var p in list) Assert.That(p.Seconds, Is.LessThanOrEqualTo(playlist.PartTarget), p.Uri);
            foreach (var (uri, seconds) in playlist.Segments)
                if (playlist.Parts.TryGetValue(uri, out var list))
                    Assert.That(list.Sum(p => p.Seconds), Is.EqualTo(seconds).Within(0.0001), uri + ": its parts add up to it");
            if (previous is not null)
            {
                long removed = playlist.MediaSequence - previous.MediaSequence;
                Assert.That(removed, Is.GreaterThanOrEqualTo(0));
                Assert.That(playlist.TargetDuration, Is.EqualTo(previous.TargetDuration), "the target duration never changes");
                // Exactly the first `removed` entries left; the rest are unchanged and still in order.
                for (int i = (int)removed; i < previous.Segments.Count; i++)
                    Assert.That(playlist.Segments[i - (int)removed], Is.EqualTo(previous.Segments[i]));
                removals += (int)removed;
            }
            foreach (var (uri, seconds) in playlist.Segments)
            {
                long number = long.Parse(uri.AsSpan(3, uri.Length - 7));
                if (!checkedSegments.Add(number)) continue;
                var segment = http.GetAsync(uri).Result;
                Assert.That(segment.StatusCode, Is.EqualTo(HttpStatusCode.OK), uri);
                Assert.That(segment.Content.Headers.ContentType!.MediaType, Is.EqualTo("video/mp4"));
                Assert.That(segment.Headers.CacheControl!.MaxAge, Is.GreaterThan(TimeSpan.Zero), "segments are cacheable");
                byte[] body = segment.Content.ReadAsByteArrayAsync().Result;
                var samples = SegmentSamples(body);
                if (playlist.Parts.TryGetValue(uri, out var partList))
                {
                    var joined = new List<byte>();
                    foreach (var p in partList) joined.AddRange(http.GetByteArrayAsync(p.Uri).Result);
                    Assert.That(joined.ToArray(), Is.EqualTo(body), uri + ": its parts are its bytes");
                    partsChecked++;
                }
                Assert.That(samples[0].Key, Is.True, uri + " starts with a key frame");
                Assert.That(samples.FindAll(s => s.Key), Has.Count.EqualTo(1), uri + ": one 1 s GOP per segment");
                if (number == lastChecked + 1)
                    Assert.That(samples[0].DecodeTime, Is.EqualTo(expectedDecodeTime), uri + " continues the previous segment's timeline");
                ulong ticks = 0;
                foreach (var s in samples) ticks += s.Duration;
                Assert.That((double)ticks / timescale, Is.EqualTo(seconds).Within(0.00001), uri + ": EXTINF is the frames' duration");
                expectedDecodeTime = samples[^1].DecodeTime + samples[^1].Duration;
                lastChecked = number;
            }
            previous = playlist;
            Thread.Sleep(500);
        }
        Assert.That(polls, Is.GreaterThan(10));
        Assert.That(partsChecked, Is.GreaterThan(5));

        // A blocking reload for the hinted part returns as soon as it exists, listing it.
        string hint = MediaPlaylist.Parse(http.GetStringAsync("streaminf.m3u8").Result).Hint!;
        var hinted = System.Text.RegularExpressions.Regex.Match(hint, @"^seg(\d+)\.(\d+)\.m4s$");
        Assert.That(hinted.Success, Is.True, hint);
        var blocking = Stopwatch.StartNew();
        string reloaded = http.GetStringAsync($"streaminf.m3u8?_HLS_msn={hinted.Groups[1].Value}&_HLS_part={hinted.Groups[2].Value}").Result;
        Assert.That(reloaded.Contains($"URI=\"{hint}\""), Is.True, reloaded);
        Assert.That(blocking.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(removals, Is.GreaterThanOrEqualTo(12), "segments left the window over 20 s");
        Assert.That(previous!.MediaSequence - first!.MediaSequence, Is.EqualTo(removals));
        var gone = http.GetAsync(first.Segments[0].Uri).Result;
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a segment that left the window");
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    private sealed record MediaPlaylist(string Text, int TargetDuration, long MediaSequence, string? Map, List<(string Uri, double Seconds)> Segments,
        double PartTarget, Dictionary<string, List<(string Uri, double Seconds)>> Parts, List<(string Uri, double Seconds)> OpenParts, string? Hint)
    {
        public static MediaPlaylist Parse(string text)
        {
            var lines = text.Split('\n');
            Assert.That(lines[0], Is.EqualTo("#EXTM3U"));
            int target = -1;
            long sequence = -1;
            string? map = null;
            var segments = new List<(string, double)>();
            var parts = new Dictionary<string, List<(string, double)>>();
            var pending = new List<(string, double)>();
            double partTarget = 0;
            string? hint = null;
            double? duration = null;
            foreach (var line in lines)
            {
                if (line.StartsWith("#EXT-X-TARGETDURATION:")) target = int.Parse(line[22..], CultureInfo.InvariantCulture);
                else if (line.StartsWith("#EXT-X-PART-INF:PART-TARGET=")) partTarget = double.Parse(line[28..], CultureInfo.InvariantCulture);
                else if (line.StartsWith("#EXT-X-PART:DURATION="))
                {
                    var m = System.Text.RegularExpressions.Regex.Match(line, @"^#EXT-X-PART:DURATION=([0-9.]+),URI=""([^""]+)""(,INDEPENDENT=YES)?$");
                    Assert.That(m.Success, Is.True, line);
                    Assert.That(m.Groups[3].Success, Is.EqualTo(pending.Count == 0), "only a segment's first part starts with a key frame: " + line);
                    pending.Add((m.Groups[2].Value, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
                }
                else if (line.StartsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")) hint = line[35..^1];
                else if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:"))
                {
                    Assert.That(segments, Is.Empty, "EXT-X-MEDIA-SEQUENCE before the first segment");
                    sequence = long.Parse(line[22..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("#EXT-X-MAP:URI=\"")) map = line[16..^1];
                else if (line.StartsWith("#EXTINF:")) duration = double.Parse(line[8..line.IndexOf(',')], CultureInfo.InvariantCulture);
                else if (line.Length > 0 && !line.StartsWith('#'))
                {
                    Assert.That(duration, Is.Not.Null, "EXTINF before " + line);
                    segments.Add((line, duration!.Value));
                    if (pending.Count > 0) parts[line] = pending;
                    pending = new List<(string, double)>();
                    duration = null;
                }
            }
            Assert.That(target, Is.GreaterThan(0), text);
            Assert.That(sequence, Is.GreaterThanOrEqualTo(0), text);
            Assert.That(segments, Is.Not.Empty, text);
            Assert.That(text, Does.Contain("#EXT-X-VERSION:7\n"));
            return new MediaPlaylist(text, target, sequence, map, segments, partTarget, parts, pending, hint);
        }
    }

    private readonly record struct Sample(ulong DecodeTime, uint Duration, bool Key);

    /// <summary>Every moof's samples, read from tfhd/tfdt/trun (ISO 14496-12 8.8), without the project's writer.</summary>
    private static List<Sample> SegmentSamples(byte[] segment)
    {
        var samples = new List<Sample>();
        var boxes = BoxWalker.Walk(segment);
        uint defaultFlags = 0;
        ulong decodeTime = 0;
        foreach (var box in boxes)
        {
            var body = segment.AsSpan(box.Offset + 8, box.Size - 8);
            uint flags = BinaryPrimitives.ReadUInt32BigEndian(body) & 0xFFFFFF;
            switch (box.Path)
            {
                case "moof/traf/tfhd":
                    int at = 8;
                    if ((flags & 0x01) != 0) at += 8;
                    if ((flags & 0x02) != 0) at += 4;
                    if ((flags & 0x08) != 0) at += 4;
                    if ((flags & 0x10) != 0) at += 4;
                    defaultFlags = (flags & 0x20) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(body[at..]) : 0;
                    break;
                case "moof/traf/tfdt":
                    decodeTime = body[0] == 1 ? BinaryPrimitives.ReadUInt64BigEndian(body[4..]) : BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    break;
                case "moof/traf/trun":
                    int count = (int)BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                    int p = 8;
                    if ((flags & 0x01) != 0) p += 4;
                    uint? firstFlags = null;
                    if ((flags & 0x04) != 0) { firstFlags = BinaryPrimitives.ReadUInt32BigEndian(body[p..]); p += 4; }
                    for (int i = 0; i < count; i++)
                    {
                        uint duration = 0, sampleFlags = i == 0 && firstFlags is { } ff ? ff : defaultFlags;
                        if ((flags & 0x100) != 0) { duration = BinaryPrimitives.ReadUInt32BigEndian(body[p..]); p += 4; }
                        if ((flags & 0x200) != 0) p += 4;
                        if ((flags & 0x400) != 0) { sampleFlags = BinaryPrimitives.ReadUInt32BigEndian(body[p..]); p += 4; }
                        if ((flags & 0x800) != 0) p += 4;
                        Assert.That(duration, Is.GreaterThan(0u), "trun carries each sample's duration");
                        // sample_is_non_sync_sample is bit 16 of the sample flags (8.8.3.1).
                        samples.Add(new Sample(decodeTime, duration, (sampleFlags & 0x00010000) == 0));
                        decodeTime += duration;
                    }
                    break;
            }
        }
        Assert.That(samples, Is.Not.Empty, "no samples in the segment");
        return samples;
    }
}
