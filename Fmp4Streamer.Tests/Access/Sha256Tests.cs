using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class Sha256Tests
{
    [TestCase("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [TestCase("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void HashesTheFipsExamples(string text, string hex)
    {
        var hash = new byte[32];
        Sha256.Hash(Encoding.ASCII.GetBytes(text), hash);
        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo(hex));
    }

    [Test]
    public void AppendsInPiecesLikeAtOnce()
    {
        var data = Encoding.ASCII.GetBytes(new string('a', 1000));
        var sha = new Sha256();
        for (int i = 0; i < data.Length; i += 7) sha.Append(data.AsSpan(i, Math.Min(7, data.Length - i)));
        var hash = new byte[32];
        sha.Finish(hash);
        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"));
    }

    // RFC 4231 4.2 and 4.7 (a key longer than a block).
    [Test]
    public void HmacMatchesRfc4231()
    {
        var mac = new byte[32];
        new HmacSha256(Enumerable.Repeat((byte)0x0b, 20).ToArray()).Compute("Hi There"u8, mac);
        Assert.That(Convert.ToHexStringLower(mac), Is.EqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
        new HmacSha256(Enumerable.Repeat((byte)0xaa, 131).ToArray()).Compute("Test Using Larger Than Block-Size Key - "u8, "Hash Key First"u8, mac);
        Assert.That(Convert.ToHexStringLower(mac), Is.EqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    }
}
