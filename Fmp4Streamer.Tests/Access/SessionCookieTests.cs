using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class SessionCookieTests
{
    private const string Hash = "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    private static readonly UserTable Users = HtpasswdFile.Parse("u", "alice:" + Hash + "\n");
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private const long Now = 5_000_000_000;

    private static string Issue(SessionCookie cookie)
    {
        Users.TryGet("alice", out var hash);
        return cookie.Issue("alice", hash.Salt, Now);
    }

    [Test]
    public void AnIssuedCookieNamesItsUserUntilItExpires()
    {
        var cookie = new SessionCookie("fmp4streamer-8000", Key, lifetimeSeconds: 3600);
        string value = Issue(cookie);
        Assert.That(cookie.Verify(value, Now, Users), Is.EqualTo("alice"));
        Assert.That(cookie.Verify(value, Now + 3599_000_000, Users), Is.EqualTo("alice"));
        Assert.That(cookie.Verify(value, Now + 3600_000_000, Users), Is.Null);
    }

    [Test]
    public void AForgedOrForeignCookieIsRefused()
    {
        var cookie = new SessionCookie("c", Key, 3600);
        string value = Issue(cookie);
        // Another start (another key), a changed expiry, a changed user, a changed MAC.
        Assert.That(new SessionCookie("c", new byte[32], 3600).Verify(value, Now, Users), Is.Null);
        var parts = value.Split('.');
        Assert.That(cookie.Verify(parts[0] + "." + (long.Parse(parts[1]) + 1) + "." + parts[2], Now, Users), Is.Null);
        Assert.That(cookie.Verify("Ym9i." + parts[1] + "." + parts[2], Now, Users), Is.Null);
        char last = parts[2][^1] == 'A' ? 'B' : 'A';
        Assert.That(cookie.Verify(parts[0] + "." + parts[1] + "." + parts[2][..^1] + last, Now, Users), Is.Null);
        Assert.That(cookie.Verify("garbage", Now, Users), Is.Null);
        // Characters outside base64url, and a changed tail that decodes to other bits, must not throw.
        Assert.That(cookie.Verify(parts[0] + "." + parts[1] + "." + parts[2][..^2] + "!!", Now, Users), Is.Null);
        Assert.That(cookie.Verify(parts[0] + "." + parts[1] + "." + parts[2][..^2] + "xx", Now, Users), Is.Null);
        Assert.That(cookie.Verify(parts[0] + "." + parts[1] + "." + parts[2] + "AAAA", Now, Users), Is.Null);
        Assert.That(cookie.Verify("%%%." + parts[1] + "." + parts[2], Now, Users), Is.Null);
    }

    [Test]
    public void AChangedPasswordOrRemovedUserEndsTheSession()
    {
        var cookie = new SessionCookie("c", Key, 3600);
        string value = Issue(cookie);
        var changed = HtpasswdFile.Parse("u", "alice:$2y$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a\n");
        Assert.That(cookie.Verify(value, Now, changed), Is.Null);
        Assert.That(cookie.Verify(value, Now, HtpasswdFile.Parse("u", "")), Is.Null);
    }

    [Test]
    public void TheHeaderIsReadAmongOtherCookies()
    {
        var cookie = new SessionCookie("fmp4streamer-8000", Key, 3600);
        string value = Issue(cookie);
        var header = System.Text.Encoding.ASCII.GetBytes("a=b; fmp4streamer-8000=stale.1.x; fmp4streamer-8000=" + value + "; c=d");
        Assert.That(cookie.VerifyHeader(header, Now, Users), Is.EqualTo("alice"));
        Assert.That(cookie.SetCookieValue(value, secure: false), Is.EqualTo("fmp4streamer-8000=" + value + "; Max-Age=3600; HttpOnly; SameSite=Lax"));
    }
}
