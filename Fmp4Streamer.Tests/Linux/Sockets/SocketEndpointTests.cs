using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Tests.Linux.Sockets;

public class SocketEndpointTests
{
    [TestCase("127.0.0.1", 5000, "127.0.0.1:5000", false)]
    [TestCase("0.0.0.0", 80, "0.0.0.0:80", false)]
    [TestCase("::1", 5000, "[::1]:5000", true)]
    [TestCase("[::1]", 8000, "[::1]:8000", true)]
    [TestCase("::", 8000, "[::]:8000", true)]
    [TestCase("fe80::1:2", 65535, "[fe80::1:2]:65535", true)]
    [TestCase("::ffff:10.0.0.5", 53122, "10.0.0.5:53122", true)]
    public void ParsesAndFormats(string address, int port, string expected, bool ipv6)
    {
        Assert.That(SocketEndpoint.TryParse(address, port, out var e), Is.True);
        Assert.That(e.IsIPv6, Is.EqualTo(ipv6));
        Assert.That(e.Port, Is.EqualTo(port));
        Assert.That(e.ToString(), Is.EqualTo(expected));
    }

    [TestCase("localhost")]
    [TestCase("example.com")]
    [TestCase("256.1.1.1")]
    [TestCase("1.2.3")]
    [TestCase("::g")]
    [TestCase("")]
    public void RejectsNonLiterals(string address)
    {
        Assert.That(SocketEndpoint.TryParse(address, 1, out _), Is.False);
    }
}
