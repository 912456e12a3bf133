using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Users against the built binary: a bcrypt htpasswd file made by Debian's htpasswd -B, every route with no, wrong
/// and right credentials, an exempt address, the login cookie, a trusted proxy's X-Forwarded-For, and RTSP with
/// ffmpeg. Loopback has many addresses: clients bind 127.0.0.x to play different hosts.
/// </summary>
[NonParallelizable]
public class AccessTests
{
    private const string Exempt = "127.0.0.2";
    private const string Proxy = "127.0.0.3";
    private DaemonProcess _daemon = null!;
    private int _rtspPort;
    private string _dir = null!;

    private static readonly string Alice = Basic("alice", "s3cret pass");

    [OneTimeSetUp]
    public void StartDaemon()
    {
        _dir = Directory.CreateTempSubdirectory("fmp4streamer-access-").FullName;
        string users = Path.Combine(_dir, "users.htpasswd");
        // Debian's tool, as a user would make the file: -B bcrypt ($2y$), -C cost, -b password on the line.
        ToolRun.Output("htpasswd", ["-B", "-C", "10", "-c", "-b", users, "alice", "s3cret pass"]);
        // Its default cost (5).
        ToolRun.Output("htpasswd", ["-B", "-b", users, "bob", "bobs"]);
        // A costlier hash for the test that the loop stays free while one is checked.
        ToolRun.Output("htpasswd", ["-B", "-C", "13", "-b", users, "slow", "slow"]);
        Assert.That(File.ReadAllText(users), Does.Match(@"^alice:\$2y\$10\$").And.Contain("bob:$2y$05$"));
        _rtspPort = FreePort.Next();
        int udpFirst = 20000 + Random.Shared.Next(0, 40) * 250;
        _daemon = DaemonProcess.Start($"""
            [server]
            htpasswd = {users}
            auth_exempt = {Exempt}
            admins = alice
            trusted_proxies = {Proxy}
            rtsp_port = {_rtspPort}
            rtsp_udp_ports = {udpFirst}-{udpFirst + 249}
            hls_part_duration = 0

            [pattern]
            test_pattern = yes
            width = 320
            height = 240
            fps = 30
            """);
    }

    [OneTimeTearDown]
    public void StopDaemon()
    {
        Assert.That(_daemon.Stop(), Is.Zero, _daemon.Log);
        _daemon.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // Every route of the table, under "/" and under the stream's name.
    private static readonly string[] Routes =
    [
        "/", "/index.html", "/stream.mp4", "/stream.h264", "/manifest.json", "/logo.png", "/apple-touch-icon.png",
        "/favicon.ico", "/icon-192.png", "/icon-512.png", "/stream.m3u8", "/streaminf.m3u8", "/init.mp4", "/metrics",
        "/snapshot.jpg", "/stream.mjpg", "/pattern/", "/pattern/stream.mp4", "/pattern/streaminf.m3u8",
    ];

    [Test]
    public void EveryRouteNeedsAUser()
    {
        foreach (string path in Routes.Append(SegmentPath()))
        {
            string none = Head(Get(path));
            Assert.That(none, Does.StartWith("HTTP/1.1 401"), path);
            Assert.That(none, Does.Contain("WWW-Authenticate: Basic realm=\"fmp4streamer\""), path);
            Assert.That(Head(Get(path, "Authorization: " + Alice)), Does.StartWith("HTTP/1.1 200"), path);
            Assert.That(Head(Get(path, source: Exempt)), Does.StartWith("HTTP/1.1 200"), path + " from an exempt address");
        }
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Basic("bob", "bobs"))), Does.StartWith("HTTP/1.1 200"), "htpasswd -B's default cost");
    }

    [Test]
    public void WrongPasswordsAreSlowedPerAddressAndLoggedWithoutThePassword()
    {
        const string guesser = "127.0.0.4";
        var first = Stopwatch.StartNew();
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Basic("alice", "guess-one"), guesser)), Does.StartWith("HTTP/1.1 401"));
        double firstMs = first.Elapsed.TotalMilliseconds;
        var second = Stopwatch.StartNew();
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Basic("alice", "guess-two"), guesser)), Does.StartWith("HTTP/1.1 401"));
        double secondMs = second.Elapsed.TotalMilliseconds;
        // Meanwhile another address is answered at once.
        var other = Stopwatch.StartNew();
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Alice)), Does.StartWith("HTTP/1.1 200"));
        double otherMs = other.Elapsed.TotalMilliseconds;
        TestContext.Out.WriteLine($"wrong #1 answered after {firstMs:F0} ms, wrong #2 after {secondMs:F0} ms; another address meanwhile {otherMs:F0} ms");
        Assert.That(firstMs, Is.GreaterThanOrEqualTo(450), "the first wrong password waits 0.5 s");
        Assert.That(secondMs, Is.GreaterThanOrEqualTo(950), "the second waits 1 s");
        // The right password from the slowed address still works (after its turn) and clears it.
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Alice, guesser)), Does.StartWith("HTTP/1.1 200"));
        Assert.That(_daemon.Log, Does.Contain("wrong password for user 'alice' from " + guesser));
        Assert.That(_daemon.Log, Does.Not.Contain("guess-one").And.Not.Contain("guess-two"));
    }

    [Test]
    public void TheLoopServesOthersWhileAPasswordIsChecked()
    {
        // "slow" has cost 13: its check takes far longer than an answer from the loop.
        var check = Task.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            string answer = Head(Get("/manifest.json", "Authorization: " + Basic("slow", "slow"), "127.0.0.5"));
            return (answer, watch.Elapsed.TotalMilliseconds);
        });
        Thread.Sleep(50);
        var times = new List<double>();
        while (!check.IsCompleted)
        {
            var watch = Stopwatch.StartNew();
            Assert.That(Head(Get("/manifest.json", source: Exempt)), Does.StartWith("HTTP/1.1 200"));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var (answer, checkMs) = check.Result;
        Assert.That(answer, Does.StartWith("HTTP/1.1 200"));
        times.Sort();
        TestContext.Out.WriteLine($"cost-13 check answered after {checkMs:F0} ms; {times.Count} other requests meanwhile, " +
            $"median {times[times.Count / 2]:F1} ms, slowest {times[^1]:F1} ms");
        Assert.That(times.Count, Is.GreaterThanOrEqualTo(3), "other requests were answered during the check");
        Assert.That(times[times.Count / 2], Is.LessThan(checkMs / 3), "answers during the check did not wait for it");
    }

    [Test]
    public void ThePageSetsACookieThatOpensTheOtherRoutes()
    {
        string page = Head(Get("/", "Authorization: " + Alice));
        string? setCookie = page.Split("\r\n").FirstOrDefault(l => l.StartsWith("Set-Cookie: ", StringComparison.Ordinal));
        Assert.That(setCookie, Is.Not.Null, page);
        Assert.That(setCookie, Does.Contain("HttpOnly").And.Contain("SameSite=Lax").And.Contain($"fmp4streamer-{_daemon.Port}="));
        string cookie = setCookie!["Set-Cookie: ".Length..].Split(';')[0];
        Assert.That(Head(Get("/stream.m3u8", "Cookie: " + cookie)), Does.StartWith("HTTP/1.1 200"));
        Assert.That(Head(Get("/pattern/init.mp4", "Cookie: other=1; " + cookie)), Does.StartWith("HTTP/1.1 200"));
        Assert.That(Head(Get("/stream.m3u8", "Cookie: " + cookie[..^2] + "xx")), Does.StartWith("HTTP/1.1 401"), "a changed cookie");
        Assert.That(Head(Get("/manifest.json", "Authorization: " + Alice)), Does.Not.Contain("Set-Cookie"), "only the page sets it");
    }

    [Test]
    public void TheCookieIsSecureWhenATrustedProxySaysTheClientCameOverTls()
    {
        static string? SetCookie(string head) => head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Set-Cookie: ", StringComparison.Ordinal));
        string tls = Head(Get("/", "X-Forwarded-For: 198.51.100.20\r\nX-Forwarded-Proto: https\r\nAuthorization: " + Alice, Proxy));
        Assert.That(SetCookie(tls), Does.EndWith("; Secure"), tls);
        string forwarded = Head(Get("/", "Forwarded: for=198.51.100.20;proto=https\r\nAuthorization: " + Alice, Proxy));
        Assert.That(SetCookie(forwarded), Does.EndWith("; Secure"), forwarded);
        string plain = Head(Get("/", "X-Forwarded-For: 198.51.100.20\r\nX-Forwarded-Proto: http\r\nAuthorization: " + Alice, Proxy));
        Assert.That(SetCookie(plain), Is.Not.Null.And.Not.Contain("Secure"), plain);
        // Not from a proxy the daemon trusts: the header is the client's own word.
        string untrusted = Head(Get("/", "X-Forwarded-Proto: https\r\nAuthorization: " + Alice, "127.0.0.6"));
        Assert.That(SetCookie(untrusted), Is.Not.Null.And.Not.Contain("Secure"), untrusted);
    }

    [Test]
    public void ForwardedAddressesAreBelievedOnlyFromTrustedProxies()
    {
        // Through the trusted proxy: the forwarded client decides, exempt or not.
        Assert.That(Head(Get("/manifest.json", "X-Forwarded-For: " + Exempt, Proxy)), Does.StartWith("HTTP/1.1 200"));
        Assert.That(Head(Get("/manifest.json", "X-Forwarded-For: 198.51.100.7", Proxy)), Does.StartWith("HTTP/1.1 401"));
        Assert.That(Head(Get("/manifest.json", "X-Forwarded-For: " + Exempt + ", 198.51.100.7", Proxy)), Does.StartWith("HTTP/1.1 401"),
            "a client's own header in front of the proxy's is not believed");
        Assert.That(Head(Get("/manifest.json", "Forwarded: for=" + Exempt, Proxy)), Does.StartWith("HTTP/1.1 200"));
        // From a peer that is not a trusted proxy the header is ignored.
        Assert.That(Head(Get("/manifest.json", "X-Forwarded-For: " + Exempt, "127.0.0.6")), Does.StartWith("HTTP/1.1 401"));
        // Logs name the forwarded client. An unknown user: the wrong-password line is another test's, and one such
        // line per interval is written, whichever test runs first.
        Head(Get("/manifest.json", "X-Forwarded-For: 198.51.100.8\r\nAuthorization: " + Basic("nobody-here", "nope"), Proxy));
        Assert.That(_daemon.Log, Does.Contain("unknown user 'nobody-here' from 198.51.100.8"));
    }

    [Test]
    public void RtspNeedsAUserToo()
    {
        string url = $"rtsp://127.0.0.1:{_rtspPort}/pattern";
        var (refused, _) = ToolRun.FfmpegDecode(url, 5, TimeSpan.FromSeconds(20), "-rtsp_transport", "tcp");
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.StdErr, Does.Contain("401"), refused.StdErr);
        var (result, frames) = ToolRun.FfmpegDecode($"rtsp://alice:s3cret%20pass@127.0.0.1:{_rtspPort}/pattern", 30,
            TimeSpan.FromSeconds(30), "-rtsp_transport", "tcp");
        Assert.That(result.ExitCode, Is.Zero, result.StdErr);
        Assert.That(frames, Is.EqualTo(30));
    }

    [Test]
    public void ThePagesOwnRequestsWorkWithTheLoginCookie()
    {
        string script = Path.Combine(BrowserPlayback.ScriptDirectory, "login.js");
        if (!Directory.Exists(Path.Combine(BrowserPlayback.ScriptDirectory, "node_modules", "playwright-core")))
            Assert.Fail("playwright-core is not installed: run `cd tests/browser && npm ci` (make test does)");
        var r = ToolRun.Run("node", [script, _daemon.BaseUrl + "/", "alice", "s3cret pass"], TimeSpan.FromSeconds(90),
            BrowserPlayback.ScriptDirectory, "nodejs");
        string report = r.StdOut.Trim().Split('\n')[^1];
        TestContext.Out.WriteLine(report);
        Assert.That(r.ExitCode, Is.Zero, report + "\n" + r.StdErr);
        Assert.That(report, Does.Contain("\"httpOnly\":true").And.Contain("\"sameSite\":\"Lax\""));
    }

    [Test]
    public void OtherHashKindsAreRefusedAtStartWithFileLineAndUser()
    {
        string users = Path.Combine(_dir, "md5.htpasswd");
        ToolRun.Output("htpasswd", ["-m", "-c", "-b", users, "carol", "pw"]);
        string config = Path.Combine(_dir, "md5.conf");
        File.WriteAllText(config, $"[server]\nhtpasswd = {users}\nport = {FreePort.Next()}\nrtsp_port = 0\n[p]\ntest_pattern = yes\n");
        var r = ToolRun.Run(Repository.Binary, ["-c", config], TimeSpan.FromSeconds(20));
        Assert.That(r.ExitCode, Is.Not.Zero);
        Assert.That(r.StdErr + r.StdOut, Does.Contain(users + ":1: user 'carol': an MD5 ($apr1$) hash is not accepted; make the entry with htpasswd -B (bcrypt)"));
    }

    [Test]
    public void AnExemptLoopbackWithoutTrustedProxiesIsWarnedAbout()
    {
        using var daemon = DaemonProcess.Start($"[server]\nhtpasswd = {Path.Combine(_dir, "users.htpasswd")}\nrtsp_port = 0\n[p]\ntest_pattern = yes\n");
        var start = DateTime.UtcNow.AddSeconds(5);
        while (!daemon.Log.Contains("trusted_proxies is empty") && DateTime.UtcNow < start) Thread.Sleep(20);
        Assert.That(daemon.Log, Does.Contain("auth_exempt covers loopback and trusted_proxies is empty"));
        // A proxy on this host, not declared: its clients all look like 127.0.0.1 and enter without a password.
        using var client = new TcpClient("127.0.0.1", daemon.Port);
        client.GetStream().Write(Encoding.ASCII.GetBytes("GET /manifest.json HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.9\r\nConnection: close\r\n\r\n"));
        client.ReceiveTimeout = 10_000;
        var response = new StreamReader(client.GetStream()).ReadToEnd();
        Assert.That(response, Does.StartWith("HTTP/1.1 200"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!daemon.Log.Contains("carried X-Forwarded-For") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(daemon.Log, Does.Contain("is not in trusted_proxies"));
        Assert.That(daemon.Stop(), Is.Zero);
    }

    private string SegmentPath()
    {
        // The first segment the live playlist lists.
        for (int i = 0; i < 50; i++)
        {
            string playlist = Get("/streaminf.m3u8", "Authorization: " + Alice);
            var line = playlist.Split('\n').FirstOrDefault(l => l.StartsWith("seg", StringComparison.Ordinal));
            if (line is not null) return "/" + line.Trim();
            Thread.Sleep(100);
        }
        Assert.Fail("no segment in the playlist");
        return "";
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static string Head(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? response : response[..end];
    }

    /// <summary>One GET from <paramref name="source"/> (a loopback address); an endless body is cut after its head.</summary>
    private string Get(string path, string? header = null, string source = "127.0.0.1")
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        socket.Connect(IPAddress.Loopback, _daemon.Port);
        socket.ReceiveTimeout = 60_000;
        string request = "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + (header is null ? "" : header + "\r\n") + "\r\n";
        socket.Send(Encoding.ASCII.GetBytes(request));
        var all = new MemoryStream();
        var buffer = new byte[65536];
        while (true)
        {
            int n = socket.Receive(buffer);
            if (n <= 0) break;
            all.Write(buffer, 0, n);
            string text = Encoding.ASCII.GetString(all.GetBuffer(), 0, (int)all.Length);
            if (path.EndsWith(".mp4", StringComparison.Ordinal) && path.Contains("stream") || path.EndsWith(".h264", StringComparison.Ordinal)
                || path.EndsWith(".mjpg", StringComparison.Ordinal))
                if (text.Contains("\r\n\r\n")) break;
        }
        return Encoding.ASCII.GetString(all.ToArray());
    }
}
