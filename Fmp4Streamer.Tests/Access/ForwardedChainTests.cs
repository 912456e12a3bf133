using System.Net;
using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class ForwardedChainTests
{
    private static readonly NetworkList Trusted = NetworkList.Parse("127.0.0.1, 10.0.0.0/8");

    private static string Resolve(string peer, string headers, NetworkList? trusted = null)
    {
        var head = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
        return ForwardedChain.Resolve(IPAddress.Parse(peer), trusted ?? Trusted, head).ToString();
    }

    [TestCase("X-Forwarded-For: 203.0.113.7\r\n", "203.0.113.7", TestName = "one proxy")]
    [TestCase("X-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n", "203.0.113.7", TestName = "a client's own header is ignored")]
    [TestCase("X-Forwarded-For: 203.0.113.7, 10.1.2.3\r\n", "203.0.113.7", TestName = "past a second trusted proxy")]
    [TestCase("X-Forwarded-For: 127.0.0.1, 203.0.113.7\r\n", "203.0.113.7", TestName = "a forged trusted address on the left does not win")]
    [TestCase("X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.7\r\n", "203.0.113.7", TestName = "two header lines join in order")]
    [TestCase("x-forwarded-for: 10.9.9.9\r\n", "10.9.9.9", TestName = "all trusted: the left-most")]
    [TestCase("X-Forwarded-For: garbage\r\n", "255.255.255.255", TestName = "unreadable hop is unknown")]
    [TestCase("X-Forwarded-For: 203.0.113.7:4711\r\n", "203.0.113.7", TestName = "IPv4 with a port")]
    [TestCase("Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43\r\n", "192.0.2.60", TestName = "Forwarded")]
    [TestCase("Forwarded: for=\"[2001:db8:cafe::17]:4711\"\r\n", "2001:db8:cafe::17", TestName = "Forwarded IPv6 with port")]
    [TestCase("Forwarded: for=192.0.2.43, for=198.51.100.17\r\n", "198.51.100.17", TestName = "Forwarded two elements")]
    [TestCase("Forwarded: for=unknown\r\n", "255.255.255.255", TestName = "Forwarded unknown")]
    [TestCase("Forwarded: for=192.0.2.43\r\nX-Forwarded-For: 203.0.113.7\r\n", "203.0.113.7", TestName = "X-Forwarded-For is preferred")]
    [TestCase("", "127.0.0.1", TestName = "no header: the peer")]
    public void FromATrustedProxy(string headers, string expected) =>
        Assert.That(Resolve("127.0.0.1", headers), Is.EqualTo(expected));

    [Test]
    public void AnUntrustedPeerIsTheClientWhateverItSays()
    {
        Assert.That(Resolve("192.0.2.9", "X-Forwarded-For: 127.0.0.1\r\n"), Is.EqualTo("192.0.2.9"));
        Assert.That(Resolve("127.0.0.1", "X-Forwarded-For: 203.0.113.7\r\n", NetworkList.Empty), Is.EqualTo("127.0.0.1"));
    }

    [TestCase("X-Forwarded-Proto: https\r\n", true, TestName = "X-Forwarded-Proto https")]
    [TestCase("x-forwarded-proto: HTTPS\r\n", true, TestName = "X-Forwarded-Proto any case")]
    [TestCase("X-Forwarded-Proto: http\r\n", false, TestName = "X-Forwarded-Proto http")]
    [TestCase("X-Forwarded-Proto: https, http\r\n", true, TestName = "X-Forwarded-Proto: the client-facing proxy's (first) value")]
    [TestCase("Forwarded: for=192.0.2.60;proto=https;by=203.0.113.43\r\n", true, TestName = "Forwarded proto=https")]
    [TestCase("Forwarded: for=192.0.2.60;proto=\"https\"\r\n", true, TestName = "Forwarded quoted proto")]
    [TestCase("Forwarded: for=192.0.2.60;proto=http, for=10.0.0.1;proto=https\r\n", false, TestName = "Forwarded: the first element's proto")]
    [TestCase("Forwarded: for=192.0.2.60\r\n", false, TestName = "Forwarded without proto")]
    [TestCase("X-Forwarded-Proto: http\r\nForwarded: proto=https\r\n", false, TestName = "X-Forwarded-Proto is preferred")]
    [TestCase("X-Forwarded-For: 203.0.113.7\r\n", false, TestName = "no proto header")]
    public void HttpsFromTheForwardedProtocol(string headers, bool https) =>
        Assert.That(ForwardedChain.IsHttps(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")), Is.EqualTo(https));
}
