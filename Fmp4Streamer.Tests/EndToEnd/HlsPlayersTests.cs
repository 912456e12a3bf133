using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Live HLS from the built binary in players and parsers nobody here wrote: GStreamer's legacy hlsdemux and
/// playbin (which stamp frames with the tfdt but place segments at the sum of the EXTINF before them), and a
/// strict playlist parser (npm hls-parser) plus Python's m3u8 and the rules of RFC 8216bis checked on its values.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class HlsPlayersTests
{
    /// <summary>Keeps a progressive viewer for a while: the shared timeline (and every fragment's tfdt) grows.</summary>
    private static void AgeTheTimeline(DaemonProcess daemon, TimeSpan age)
    {
        using var http = new HttpClient { Timeout = age + TimeSpan.FromSeconds(10) };
        using var response = http.GetAsync(daemon.BaseUrl + "/stream.mp4", HttpCompletionOption.ResponseHeadersRead).Result;
        using var body = response.Content.ReadAsStream();
        var buffer = new byte[65536];
        var end = DateTime.UtcNow + age;
        while (DateTime.UtcNow < end && body.Read(buffer) > 0) { }
    }

    /// <summary>Runs a gst-launch pipeline for <paramref name="seconds"/> and counts the frames its fakesink rendered.</summary>
    private static (int Frames, string Output) GstFrames(int seconds, params string[] pipeline)
    {
        var args = new List<string> { "-s", "INT", "-k", "5", seconds.ToString(CultureInfo.InvariantCulture), "gst-launch-1.0", "-v" };
        args.AddRange(pipeline);
        var result = ToolRun.Run("timeout", args, TimeSpan.FromSeconds(seconds + 20), aptPackage: "gstreamer1.0-tools");
        int frames = Regex.Matches(result.StdOut, @"last-message = chain   \*+ \(fakesink").Count;
        return (frames, result.StdOut.Length > 3000 ? result.StdOut[^3000..] : result.StdOut + result.StdErr);
    }

    [Test]
    public void GStreamerHlsdemuxAndPlaybinRenderFramesAfterTheTimelineAged()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        // Before the fix they waited for as long as the timeline had run (here 20 s) before rendering anything.
        AgeTheTimeline(daemon, TimeSpan.FromSeconds(20));
        string url = daemon.BaseUrl + "/stream.m3u8";
        var (demuxed, demuxOutput) = GstFrames(10, "souphttpsrc", "location=" + url, "!", "hlsdemux", "!", "qtdemux", "!",
            "h264parse", "!", "avdec_h264", "!", "fakesink", "sync=true", "silent=false");
        var (played, playOutput) = GstFrames(10, "playbin", "uri=" + url, "video-sink=fakesink sync=true silent=false",
            "audio-sink=fakesink");
        TestContext.Out.WriteLine($"hlsdemux rendered {demuxed} frames in 10 s, playbin {played}");
        Assert.Multiple(() =>
        {
            Assert.That(demuxed, Is.GreaterThanOrEqualTo(90), "hlsdemux ! qtdemux ! … ! fakesink sync=true:\n" + demuxOutput + daemon.Log);
            Assert.That(played, Is.GreaterThanOrEqualTo(60), "playbin:\n" + playOutput + daemon.Log);
        });
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }

    [Test]
    public void PlaylistsPassAStrictParserAndTheRules()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        var strict = ToolRun.Run("node", [Path.Combine(BrowserPlayback.ScriptDirectory, "playlistcheck.js"), daemon.BaseUrl, "6"],
            TimeSpan.FromSeconds(60), BrowserPlayback.ScriptDirectory);
        Assert.That(strict.ExitCode, Is.EqualTo(0), "hls-parser strict mode: " + strict.StdOut + strict.StdErr);
        using (var json = JsonDocument.Parse(strict.StdOut))
        {
            foreach (var p in json.RootElement.GetProperty("playlists").EnumerateArray())
            {
                if (p.GetProperty("path").GetString() == "stream.m3u8")
                {
                    Assert.That(p.GetProperty("bandwidth").GetInt64(), Is.GreaterThan(p.GetProperty("averageBandwidth").GetInt64()));
                    Assert.That(p.GetProperty("frameRate").GetDouble(), Is.InRange(25.0, 31.0), "FRAME-RATE of the 30 fps pattern");
                }
                else
                {
                    // hls_part_duration and the 20 µs a segment's first part may gain in print.
                    Assert.That(p.GetProperty("partTarget").GetDouble(), Is.InRange(0.25, 0.250021), "PART-TARGET is hls_part_duration");
                    Assert.That(p.GetProperty("partHoldBack").GetDouble(), Is.GreaterThanOrEqualTo(3 * 0.25));
                }
            }
        }

        // Python's m3u8 reads the values; the rules are ours.
        const string script = """
import json, re, sys, urllib.request, m3u8
from datetime import datetime
base = sys.argv[1]
text = urllib.request.urlopen(base + '/streaminf.m3u8').read().decode()
media = m3u8.loads(text)
# m3u8 0.8 drops EXT-X-PROGRAM-DATE-TIME when parts follow it: read the tags in order (one per segment).
pdts = [datetime.fromisoformat(t.replace('Z', '+00:00')).timestamp() for t in re.findall(r'#EXT-X-PROGRAM-DATE-TIME:(\S+)', text)]
master = m3u8.loads(urllib.request.urlopen(base + '/stream.m3u8').read().decode())
sig = master.playlists[0].stream_info
out = {'bandwidth': sig.bandwidth, 'average': sig.average_bandwidth, 'frame_rate': sig.frame_rate,
       'target': media.target_duration, 'part_target': media.part_inf.part_target,
       'part_hold_back': media.server_control.part_hold_back, 'hint': media.preload_hint.uri,
       'segments': [{'uri': s.uri, 'duration': s.duration, 'pdt': pdts[i],
                     'discontinuity': s.discontinuity, 'parts': [p.duration for p in s.parts]} for i, s in enumerate(s for s in media.segments if s.uri)]}
print(json.dumps(out))
""";
        var python = ToolRun.Run("/usr/bin/python3", ["-c", script, daemon.BaseUrl], TimeSpan.FromSeconds(30), aptPackage: "python3-m3u8");
        Assert.That(python.ExitCode, Is.EqualTo(0), python.StdErr);
        using var doc = JsonDocument.Parse(python.StdOut);
        var root = doc.RootElement;
        double partTarget = root.GetProperty("part_target").GetDouble();
        Assert.That(partTarget, Is.InRange(0.25, 0.250021));
        // Three times the printed target in decimal digits; binary doubles of the two may differ in the last bit.
        Assert.That(root.GetProperty("part_hold_back").GetDouble(), Is.GreaterThanOrEqualTo(3 * partTarget - 1e-9));
        var segments = root.GetProperty("segments").EnumerateArray().ToList();
        Assert.That(segments, Has.Count.GreaterThanOrEqualTo(2));
        for (int i = 0; i < segments.Count; i++)
        {
            double duration = segments[i].GetProperty("duration").GetDouble();
            Assert.That(Math.Round(duration), Is.LessThanOrEqualTo(root.GetProperty("target").GetDouble()));
            foreach (var part in segments[i].GetProperty("parts").EnumerateArray())
                Assert.That(part.GetDouble(), Is.LessThanOrEqualTo(partTarget), "a part never exceeds PART-TARGET");
            if (i == 0 || segments[i].GetProperty("discontinuity").GetBoolean()) continue;
            // EXT-X-PROGRAM-DATE-TIME follows the media timeline: consecutive times differ by the EXTINF (to the ms).
            double step = segments[i].GetProperty("pdt").GetDouble() - segments[i - 1].GetProperty("pdt").GetDouble();
            Assert.That(step, Is.EqualTo(segments[i - 1].GetProperty("duration").GetDouble()).Within(0.0011), python.StdOut);
        }
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
