using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class BasicCredentialsTests
{
    [TestCase("Basic YWxpY2U6czNjcjN0OjE=", "alice", "s3cr3t:1")]
    [TestCase("basic   YWxpY2U6", "alice", "")]
    public void ReadsUserAndPassword(string header, string user, string password)
    {
        Assert.That(BasicCredentials.TryParse(Encoding.ASCII.GetBytes(header), out string u, out byte[] p), Is.True);
        Assert.That(u, Is.EqualTo(user));
        Assert.That(Encoding.UTF8.GetString(p), Is.EqualTo(password));
    }

    [TestCase("Bearer abc")]
    [TestCase("Basic !!!")]
    [TestCase("Basic YWxpY2U=")]
    [TestCase("Basic OnB3")]
    [TestCase("Digest username=\"a\"")]
    public void RefusesOthers(string header) =>
        Assert.That(BasicCredentials.TryParse(Encoding.ASCII.GetBytes(header), out _, out _), Is.False);
}
