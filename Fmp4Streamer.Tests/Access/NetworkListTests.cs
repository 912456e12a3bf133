using System.Net;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class NetworkListTests
{
    [TestCase("127.0.0.0/8, ::1", "127.1.2.3", true)]
    [TestCase("127.0.0.0/8, ::1", "::1", true)]
    [TestCase("127.0.0.0/8, ::1", "::ffff:127.0.0.1", true)]
    [TestCase("127.0.0.0/8, ::1", "128.0.0.1", false)]
    [TestCase("127.0.0.0/8, ::1", "::2", false)]
    [TestCase("192.168.1.0/24", "192.168.1.255", true)]
    [TestCase("192.168.1.0/24", "192.168.2.1", false)]
    [TestCase("10.0.0.0/9", "10.127.255.255", true)]
    [TestCase("10.0.0.0/9", "10.128.0.0", false)]
    [TestCase("fd00::/8", "fd12:3456::1", true)]
    [TestCase("fd00::/8", "fe80::1", false)]
    [TestCase("0.0.0.0/0", "8.8.8.8", true)]
    [TestCase("0.0.0.0/0", "::1", false)]
    [TestCase("10.0.0.5", "10.0.0.5", true)]
    [TestCase("10.0.0.5 10.0.0.6", "10.0.0.6", true)]
    [TestCase("", "127.0.0.1", false)]
    public void Contains(string list, string address, bool expected) =>
        Assert.That(NetworkList.Parse(list).Contains(IPAddress.Parse(address)), Is.EqualTo(expected));

    [TestCase("10.0.0.1/8", "'10.0.0.1/8' has bits set after its prefix length; write the network's first address")]
    [TestCase("10.0.0.0/33", "'10.0.0.0/33' has a prefix length outside 0..32")]
    [TestCase("::/129", "'::/129' has a prefix length outside 0..128")]
    [TestCase("localhost", "'localhost' is not an address or network (a.b.c.d, a.b.c.d/bits, an IPv6 address or IPv6/bits)")]
    [TestCase("10.0.0.0/x", "'10.0.0.0/x' has a prefix length outside 0..32")]
    public void RefusesWithAReason(string list, string error)
    {
        Assert.That(NetworkList.TryParse(list, out _, out string message), Is.False);
        Assert.That(message, Is.EqualTo(error));
    }

    [Test]
    public void KnowsWhetherItCoversLoopback()
    {
        Assert.That(NetworkList.Parse("127.0.0.0/8, ::1").CoversLoopback, Is.True);
        Assert.That(NetworkList.Parse("192.168.0.0/16").CoversLoopback, Is.False);
        Assert.That(NetworkList.Empty.CoversLoopback, Is.False);
    }
}
