using System.Net;
using System.Net.Sockets;
using System.Text;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>
/// Users behind the printer's nginx: with trusted_proxies naming nginx, a viewer on another address is asked for a
/// password although every request reaches the daemon from loopback, which auth_exempt lets in; without it, the
/// daemon warns at start and at the first forwarded request.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class NginxAccessTests
{
    private const string Viewer = "127.0.0.2";
    private string _dir = null!;
    private string _users = null!;

    [OneTimeSetUp]
    public void MakeUsers()
    {
        _dir = Directory.CreateTempSubdirectory("fmp4streamer-nginx-access-").FullName;
        _users = Path.Combine(_dir, "users.htpasswd");
        ToolRun.Output("htpasswd", ["-B", "-C", "5", "-c", "-b", _users, "alice", "pw"]);
    }

    [OneTimeTearDown]
    public void RemoveUsers() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void WithTrustedProxiesTheViewerBehindNginxNeedsAPasswordAndIsLoggedByItsAddress()
    {
        using var daemon = DaemonProcess.Start($"[server]\nhtpasswd = {_users}\nauth_exempt = 127.0.0.1\ntrusted_proxies = 127.0.0.1\nrtsp_port = 0\n",
            "--test-pattern");
        int port = FreePort.Next();
        using var nginx = NginxProcess.Start(NginxProcess.Recipe("printer.conf", port, daemon.Port, "cache"), port);

        Assert.Multiple(() =>
        {
            string refused = Get(port, "/webcam/manifest.json", Viewer);
            Assert.That(refused, Does.StartWith("HTTP/1.1 401"), "a viewer on another address, through nginx");
            Assert.That(refused, Does.Contain("WWW-Authenticate: Basic realm=\"fmp4streamer\""));
            Assert.That(Get(port, "/webcam/manifest.json", Viewer, "Authorization: Basic " + Basic("alice", "pw")),
                Does.StartWith("HTTP/1.1 200"), "the same viewer with a password");
            Assert.That(Get(daemon.Port, "/manifest.json", "127.0.0.1"), Does.StartWith("HTTP/1.1 200"), "a direct request from loopback");
            Assert.That(Get(port, "/webcam/manifest.json", "127.0.0.1"), Does.StartWith("HTTP/1.1 200"),
                "a viewer on the exempt address, through nginx");
            Assert.That(Get(port, "/webcam/manifest.json", Viewer, "Authorization: Basic " + Basic("alice", "wrong")),
                Does.StartWith("HTTP/1.1 401"), "a wrong password");
        });
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Assert.That(daemon.Log, Does.Contain(Viewer), "the log names the viewer, not nginx");
        Assert.That(daemon.Log, Does.Not.Contain("trusted_proxies is empty"));
    }

    [Test]
    public void WithoutTrustedProxiesTheDaemonWarnsAtStartAndAtTheFirstForwardedRequest()
    {
        using var daemon = DaemonProcess.Start($"[server]\nhtpasswd = {_users}\nrtsp_port = 0\n", "--test-pattern");
        int port = FreePort.Next();
        using var nginx = NginxProcess.Start(NginxProcess.Recipe("printer.conf", port, daemon.Port, "cache"), port);
        Get(port, "/webcam/manifest.json", Viewer);
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
        Assert.That(daemon.Log, Does.Contain("auth_exempt covers loopback and trusted_proxies is empty"));
        Assert.That(daemon.Log, Does.Contain("carried X-Forwarded-For, but 127.0.0.1 is not in trusted_proxies"));
    }

    private static string Basic(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>One GET from <paramref name="source"/> to 127.0.0.1:<paramref name="port"/>; the whole answer.</summary>
    private static string Get(int port, string path, string source, string? header = null)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        socket.Connect(IPAddress.Loopback, port);
        socket.ReceiveTimeout = 30_000;
        string request = "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + (header is null ? "" : header + "\r\n") + "\r\n";
        socket.Send(Encoding.ASCII.GetBytes(request));
        var all = new MemoryStream();
        var buffer = new byte[16384];
        int n;
        while ((n = socket.Receive(buffer)) > 0) all.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(all.ToArray());
    }
}
