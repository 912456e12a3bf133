using System.Net;
using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class OriginCheckTests
{
    [TestCase("", "cam:8000", "*", true, TestName = "no Origin: not a browser")]
    [TestCase("http://cam:8000", "cam:8000", "*", true, TestName = "our own page")]
    [TestCase("HTTP://CAM:8000", "cam:8000", "*", true, TestName = "case does not matter")]
    [TestCase("http://cam", "cam:80", "*", true, TestName = "default port on one side")]
    [TestCase("https://cam.example.com:443", "cam.example.com", "*", true, TestName = "https default port")]
    [TestCase("http://evil.example", "cam:8000", "*", false, TestName = "another site")]
    [TestCase("http://cam:8001", "cam:8000", "*", false, TestName = "another port is another origin")]
    [TestCase("null", "cam:8000", "*", false, TestName = "opaque origin")]
    [TestCase("https://printer.local", "cam:8000", "https://printer.local", true, TestName = "the one cors_origin")]
    [TestCase("https://printer.local", "cam:8000", "*", false, TestName = "cors_origin star allows no writes")]
    public void SameOrigin(string origin, string host, string cors, bool expected) =>
        Assert.That(OriginCheck.IsSameOrigin(Encoding.ASCII.GetBytes(origin), Encoding.ASCII.GetBytes(host), cors), Is.EqualTo(expected));

    [Test]
    public void MayChangeSettingsIsOneCheck()
    {
        var client = IPAddress.Loopback;
        Assert.That(new AccessDecision(client, "alice", false, true, Admin: true, CrossOrigin: false).MayChangeSettings, Is.True);
        Assert.That(new AccessDecision(client, "alice", false, true, Admin: true, CrossOrigin: true).MayChangeSettings, Is.False, "cross-origin POST");
        Assert.That(new AccessDecision(client, "bob", false, true, Admin: false, CrossOrigin: false).MayChangeSettings, Is.False, "not an admin");
        Assert.That(new AccessDecision(client, null, true, true, Admin: false, CrossOrigin: false).MayChangeSettings, Is.False, "exempt but no user");
        Assert.That(new AccessDecision(client, null, true, false, Admin: false, CrossOrigin: false).MayChangeSettings, Is.True, "no users: exempt");
        Assert.That(new AccessDecision(client, null, false, false, Admin: false, CrossOrigin: false).MayChangeSettings, Is.False, "no users: not exempt");
    }
}
