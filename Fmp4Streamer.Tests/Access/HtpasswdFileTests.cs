using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class HtpasswdFileTests
{
    private const string Alice = "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    [Test]
    public void TakesBcryptEntriesCommentsAndBlankLines()
    {
        var users = HtpasswdFile.Parse("u", "# users\n\nalice:" + Alice + "\r\nbob:$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW\n");
        Assert.That(users.Count, Is.EqualTo(2));
        Assert.That(users.Contains("alice") && users.Contains("bob"), Is.True);
        Assert.That(users.TryGet("alice", out var hash) && hash.Cost == 5, Is.True);
    }

    [TestCase("alice:" + Alice + "\nbob:$apr1$abc$def\n", "u:2: user 'bob': an MD5 ($apr1$) hash is not accepted; make the entry with htpasswd -B (bcrypt)")]
    [TestCase("bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n", "u:1: user 'bob': a SHA-1 ({SHA}) hash is not accepted; make the entry with htpasswd -B (bcrypt)")]
    [TestCase("bob:abJnggxhB/yWI\n", "u:1: user 'bob': a crypt() hash or plain-text password is not accepted; make the entry with htpasswd -B (bcrypt)")]
    [TestCase("bob:$6$salt$x\n", "u:1: user 'bob': a SHA-512-crypt ($6$) hash is not accepted; make the entry with htpasswd -B (bcrypt)")]
    [TestCase("bob:$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e\n", "u:1: user 'bob': bcrypt variant $2x$ is not accepted (only $2a$, $2b$ and $2y$); make the entry with htpasswd -B (bcrypt)")]
    [TestCase("alice:" + Alice + "\nalice:" + Alice + "\n", "u:2: user 'alice': listed twice")]
    [TestCase("no colon here\n", "u:1: not a 'user:hash' line")]
    [TestCase(":" + Alice + "\n", "u:1: not a 'user:hash' line (the user name is empty)")]
    public void RefusesWithFileLineAndUser(string text, string message)
    {
        var e = Assert.Throws<HtpasswdException>(() => HtpasswdFile.Parse("u", text));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void AMissingFileNamesThePath()
    {
        var e = Assert.Throws<HtpasswdException>(() => HtpasswdFile.Load("/nonexistent/users.htpasswd"));
        Assert.That(e!.Message, Does.StartWith("/nonexistent/users.htpasswd: cannot read the htpasswd file"));
    }
}
