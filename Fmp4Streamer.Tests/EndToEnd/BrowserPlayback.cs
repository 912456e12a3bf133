using System.Text.Json;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>Runs tests/browser/play.js (headless Chromium via playwright-core) and parses its report.</summary>
public sealed record PlaybackReport(bool Ok, int Width, int Height, double StartTime, double EndTime, int Decoded,
    IReadOnlyList<string> Errors, IReadOnlyList<(long NowMs, double LatencyMs)> Latencies, string Raw)
{
    /// <summary>Every sample's wall clock and currentTime (a reload starts currentTime anew).</summary>
    public IReadOnlyList<(long NowMs, double Time)> Times { get; init; } = Array.Empty<(long, double)>();

    /// <summary>With <c>allVideos</c> and <c>readStrip</c>: each video's glass-to-glass latencies, in page order.</summary>
    public IReadOnlyList<IReadOnlyList<double>> TileLatencies { get; init; } = Array.Empty<IReadOnlyList<double>>();

    /// <summary>The media elements' <c>waiting</c> events after their first <c>playing</c> one: stalls once playing.</summary>
    public int WaitingAfterStart { get; init; }

    /// <summary>The wall clock (Unix ms) of each <c>waiting</c> event after the start.</summary>
    public IReadOnlyList<long> WaitingAfterStartAtMs { get; init; } = Array.Empty<long>();

    /// <summary>The wall clock (Unix ms) of the first <c>playing</c> event; 0 if none.</summary>
    public long PlayingAtMs { get; init; }

    /// <summary>Milliseconds from navigation to the first decoded frame (-1: none).</summary>
    public long FirstFrameMs { get; init; } = -1;

    /// <summary>getVideoPlaybackQuality().droppedVideoFrames at the last sample.</summary>
    public int Dropped { get; init; }

    /// <summary>Every sample's currentTime and droppedVideoFrames.</summary>
    public IReadOnlyList<(double Time, int Dropped)> DroppedOverTime { get; init; } = Array.Empty<(double, int)>();

    /// <summary>Frames dropped once playback passed <paramref name="time"/> seconds (after the start-up).</summary>
    public int DroppedAfter(double time)
    {
        var from = DroppedOverTime.FirstOrDefault(s => s.Time >= time);
        return DroppedOverTime.Count == 0 ? 0 : DroppedOverTime[^1].Dropped - from.Dropped;
    }
}


public static class BrowserPlayback
{
    public static string ScriptDirectory => Path.Combine(Repository.Root, "tests", "browser");

    public static PlaybackReport Play(string url, int seconds, bool readStrip = false, string? screenshot = null, bool withoutScript = false,
        bool hlsJs = false, bool allVideos = false, HlsPlayer player = HlsPlayer.None)
    {
        if (hlsJs) player = HlsPlayer.HlsJs;
        if (!Directory.Exists(Path.Combine(ScriptDirectory, "node_modules", "playwright-core")))
            Assert.Fail("playwright-core is not installed: run `cd tests/browser && npm ci` (make test does)");
        if (!File.Exists("/usr/bin/chromium")) Assert.Fail("chromium is missing: apt-get install chromium (make test does)");
        var args = new List<string> { Path.Combine(ScriptDirectory, "play.js"), url, seconds.ToString() };
        if (readStrip) args.Add("--strip");
        if (withoutScript) args.Add("--no-script");
        if (player != HlsPlayer.None) args.Add(player switch
        {
            HlsPlayer.HlsJs => "--hlsjs",
            HlsPlayer.Shaka => "--shaka",
            _ => "--videojs",
        });
        if (allVideos) args.Add("--all");
        if (screenshot is not null) { args.Add("--shot"); args.Add(screenshot); }
        var r = ToolRun.Run("node", args, TimeSpan.FromSeconds(seconds + 60), ScriptDirectory, "nodejs");
        string json = r.StdOut.Trim().Split('\n')[^1];
        if (!json.StartsWith('{')) Assert.Fail($"play.js printed no report (exit {r.ExitCode}):\n{r.StdOut}\n{r.StdErr}");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var errors = new List<string>();
        foreach (var e in root.GetProperty("errors").EnumerateArray()) errors.Add(e.GetString() ?? "");
        var latencies = new List<(long, double)>();
        var times = new List<(long, double)>();
        var tiles = new List<List<double>>();
        var droppedOverTime = new List<(double, int)>();
        foreach (var s in root.GetProperty("samples").EnumerateArray())
        {
            if (s.TryGetProperty("videos", out var videos))
            {
                int i = 0;
                foreach (var video in videos.EnumerateArray())
                {
                    while (tiles.Count <= i) tiles.Add(new List<double>());
                    if (video.TryGetProperty("latencyMs", out var tl)) tiles[i].Add(tl.GetDouble());
                    i++;
                }
            }
            if (s.TryGetProperty("latencyMs", out var l)) latencies.Add((s.GetProperty("now").GetInt64(), l.GetDouble()));
            if (s.TryGetProperty("t", out var t) && s.TryGetProperty("now", out var now)) times.Add((now.GetInt64(), t.GetDouble()));
            if (s.TryGetProperty("t", out var st) && s.TryGetProperty("dropped", out var sd) && sd.ValueKind == JsonValueKind.Number)
                droppedOverTime.Add((st.GetDouble(), sd.GetInt32()));
        }
        var first = root.GetProperty("first");
        var last = root.GetProperty("last");
        bool played = first.ValueKind == JsonValueKind.Object;
        return new PlaybackReport(root.GetProperty("ok").GetBoolean(),
            played ? last.GetProperty("w").GetInt32() : 0, played ? last.GetProperty("h").GetInt32() : 0,
            played ? first.GetProperty("t").GetDouble() : 0, played ? last.GetProperty("t").GetDouble() : 0,
            played ? last.GetProperty("decoded").GetInt32() : 0, errors, latencies, json)
        {
            Times = times,
            TileLatencies = tiles,
            WaitingAfterStart = root.TryGetProperty("waitingAfterStart", out var w) ? w.GetArrayLength() : 0,
            WaitingAfterStartAtMs = root.TryGetProperty("waitingAfterStart", out var wa)
                ? wa.EnumerateArray().Select(e => e.TryGetProperty("now", out var n) ? n.GetInt64() : 0).ToArray() : Array.Empty<long>(),
            FirstFrameMs = root.TryGetProperty("firstFrameMs", out var ff) ? ff.GetInt64() : -1,
            PlayingAtMs = root.TryGetProperty("playingAt", out var pa) && pa.ValueKind == JsonValueKind.Number ? pa.GetInt64() : 0,
            DroppedOverTime = droppedOverTime,
            Dropped = played && last.TryGetProperty("dropped", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 0,
        };
    }
}
