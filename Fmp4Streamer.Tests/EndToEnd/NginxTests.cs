using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// The built binary behind Debian's nginx with the recipes of contrib/nginx/: the printer layout (the camera under
/// /webcam/, nothing buffered) and the caching edge (HLS fetched from the daemon once for many viewers). One daemon
/// and one nginx serving both recipes for the whole fixture.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class NginxTests
{
    private DaemonProcess _daemon = null!;
    private NginxProcess _nginx = null!;
    private int _printerPort, _edgePort;

    private string Printer => $"http://127.0.0.1:{_printerPort}/webcam/";
    private string Edge => $"http://127.0.0.1:{_edgePort}/";

    [OneTimeSetUp]
    public void StartDaemonAndNginx()
    {
        // Every request now comes from nginx's address.
        _daemon = DaemonProcess.Start("[server]\nmax_connections_per_address = 1000\n", "--test-pattern");
        _printerPort = FreePort.Next();
        _edgePort = FreePort.Next();
        // The cache lives under nginx's prefix (a relative path is taken from there).
        _nginx = NginxProcess.Start(
            NginxProcess.Recipe("printer.conf", _printerPort, _daemon.Port, "cache") +
            NginxProcess.Recipe("caching-edge.conf", _edgePort, _daemon.Port, "cache"),
            _printerPort, _edgePort);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _nginx?.Dispose();
        if (_daemon is not null)
        {
            Assert.That(_daemon.Stop(), Is.EqualTo(0), _daemon.Log);
            _daemon.Dispose();
        }
    }

    [Test]
    public void ThePageUnderWebcamPlaysAsCloseToTheCameraAsWithoutNginx()
    {
        var through = BrowserPlayback.Play(Printer, 6, readStrip: true);
        var direct = BrowserPlayback.Play(_daemon.BaseUrl + "/", 6, readStrip: true);
        double Median(PlaybackReport r)
        {
            var late = r.Latencies.Skip(r.Latencies.Count / 2).Select(l => l.LatencyMs).OrderBy(v => v).ToList();
            return late.Count == 0 ? double.NaN : late[late.Count / 2];
        }
        double viaNginx = Median(through), withoutNginx = Median(direct);
        TestContext.Progress.WriteLine($"page live-edge latency (second half, median): through the printer's nginx {viaNginx:0} ms, " +
            $"direct {withoutNginx:0} ms");
        Assert.Multiple(() =>
        {
            Assert.That(through.Ok, Is.True, through.Raw);
            Assert.That(through.Errors, Is.Empty, through.Raw);
            Assert.That(through.Latencies.Count, Is.GreaterThan(6), "the strip was read through nginx: " + through.Raw);
            Assert.That(direct.Ok, Is.True, direct.Raw);
            // Nothing buffered on the way: a buffering proxy holds the stream until its buffers fill (seconds here).
            Assert.That(viaNginx, Is.LessThan(withoutNginx + 300), "nginx adds almost nothing");
        });
    }

    [Test]
    public void HlsJsPlaysTheSubPathPlaylist()
    {
        var report = BrowserPlayback.Play(Printer + "stream.m3u8", 6, hlsJs: true);
        Assert.Multiple(() =>
        {
            Assert.That(report.Ok, Is.True, report.Raw);
            Assert.That(report.Errors, Is.Empty, report.Raw);
            Assert.That(report.EndTime - report.StartTime, Is.GreaterThanOrEqualTo(4.0), report.Raw);
        });
    }

    [Test]
    public void FfmpegDecodesTheSubPathStream()
    {
        var (result, frames) = ToolRun.FfmpegDecode(Printer + "stream.mp4", 60, TimeSpan.FromSeconds(40));
        Assert.That((result.ExitCode, result.StdErr, frames >= 60), Is.EqualTo((0, "", true)), result.StdErr);
    }

    [Test]
    public void EveryLinkOfThePageAndTheManifestResolvesUnderTheSubPath()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(20) };
        var root = new Uri(Printer);
        string page = http.GetStringAsync(root).Result;
        var links = Regex.Matches(page, @"(?:href|src)=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        using var manifest = JsonDocument.Parse(http.GetStringAsync(new Uri(root, "manifest.json")).Result);
        links.AddRange(manifest.RootElement.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("src").GetString()!));
        links.Add(manifest.RootElement.GetProperty("start_url").GetString()!);
        Assert.That(links, Is.SupersetOf(new[] { "stream.mp4", "stream.m3u8", "manifest.json", "apple-touch-icon.png", "icon-512.png" }));
        foreach (string link in links.Distinct())
        {
            var url = new Uri(root, link);
            Assert.That(url.AbsolutePath, Does.StartWith("/webcam/"), link + " stays under the sub-path");
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = http.Send(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url.ToString());
        }
        // A camera's own prefix redirects relatively, so it lands under the sub-path too.
        string name = Regex.Match(_daemon.Log, @"at /([^/ ]+)/stream\.mp4").Groups[1].Value;
        var redirect = http.GetAsync(new Uri(root, name)).Result;
        Assert.That((redirect.StatusCode, redirect.Headers.Location?.ToString()), Is.EqualTo((HttpStatusCode.MovedPermanently, name + "/")));
        Assert.That(http.GetAsync(new Uri(root, name + "/")).Result.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void FiftyHlsPlayersThroughTheCacheReachTheDaemonAboutOncePerSegmentAndPart()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        // Wake the segmenter, then count only the load's requests.
        Assert.That(http.GetAsync(Edge + "streaminf.m3u8").Result.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var before = RouteRequests(http);
        const int players = 50;
        var run = ToolRun.Run("/usr/bin/python3", [Path.Combine(Repository.Root, "tests", "bench", "llhlsclient.py"),
            "127.0.0.1", _edgePort.ToString(), "/", players.ToString(), "10"], TimeSpan.FromSeconds(60));
        var after = RouteRequests(http);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdErr);
        using var report = JsonDocument.Parse(run.StdOut.Trim().Split('\n')[^1]);
        var r = report.RootElement;
        int segments = r.GetProperty("distinct_segments").GetInt32(), parts = r.GetProperty("distinct_parts").GetInt32();
        long segmentRequests = after["segment"] - before["segment"], partRequests = after["part"] - before["part"];
        long playlistRequests = after["media-playlist"] - before["media-playlist"];
        TestContext.Progress.WriteLine($"{players} LL-HLS players through the caching nginx for 10 s: {segments} segments and {parts} parts " +
            $"fetched {r.GetProperty("segments")} and {r.GetProperty("parts")} times; the daemon answered {segmentRequests} segment, " +
            $"{partRequests} part and {playlistRequests} playlist requests (of {r.GetProperty("playlists")})");
        Assert.Multiple(() =>
        {
            Assert.That(segments, Is.GreaterThanOrEqualTo(8), run.StdOut);
            Assert.That((r.GetProperty("errors").GetInt32(), r.GetProperty("not_found").GetInt32(), r.GetProperty("other_status").GetInt32()),
                Is.EqualTo((0, 0, 0)), run.StdOut);
            // Every player got every segment from its first on, with no gap.
            Assert.That(r.GetProperty("per_player_missing").EnumerateArray().Select(e => e.GetInt32()), Is.All.EqualTo(0), run.StdOut);
            Assert.That(r.GetProperty("per_player_segments").EnumerateArray().Select(e => e.GetInt32()).Min(), Is.GreaterThanOrEqualTo(segments - 2));
            // About one origin request per segment and part (a few extra where a lock aged out).
            Assert.That(segmentRequests, Is.InRange(segments, segments + segments / 10 + 1));
            Assert.That(partRequests, Is.InRange(parts, parts + parts / 10 + 1));
            Assert.That(playlistRequests, Is.LessThan(r.GetProperty("playlists").GetInt32() / 10), "blocking reloads collapsed too");
        });
    }

    [Test]
    public void TheEdgeNeverCachesTheEndlessStream()
    {
        // Two viewers at once: each gets its own live stream at once (a cache lock would hold the second one back).
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var clock = Stopwatch.StartNew();
        var first = http.GetAsync(Edge + "stream.mp4", HttpCompletionOption.ResponseHeadersRead);
        var second = http.GetAsync(Edge + "stream.mp4", HttpCompletionOption.ResponseHeadersRead);
        foreach (var response in new[] { first.Result, second.Result })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.CacheControl!.NoStore, Is.True);
            using var body = response.Content.ReadAsStream();
            var buffer = new byte[8];
            body.ReadExactly(buffer);
            Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 4, 4), Is.EqualTo("ftyp"));
            response.Dispose();
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "neither waited for the other");
        string cache = Path.Combine(_nginx.Prefix, "cache");
        var cached = Directory.Exists(cache) ? Directory.GetFiles(cache, "*", SearchOption.AllDirectories) : [];
        Assert.That(cached.Select(File.ReadAllText).Any(t => t.Contains("KEY: http://fmp4streamer/stream.mp4")), Is.False);
    }

    private Dictionary<string, long> RouteRequests(HttpClient http)
    {
        string text = http.GetStringAsync(_daemon.BaseUrl + "/metrics").Result;
        var counts = new Dictionary<string, long>();
        foreach (Match m in Regex.Matches(text, @"^fmp4streamer_http_route_requests_total\{route=""([^""]+)""\} (\d+)$", RegexOptions.Multiline))
            counts[m.Groups[1].Value] = long.Parse(m.Groups[2].Value);
        Assert.That(counts.Keys, Is.SupersetOf(new[] { "segment", "part", "media-playlist" }), text);
        return counts;
    }
}
