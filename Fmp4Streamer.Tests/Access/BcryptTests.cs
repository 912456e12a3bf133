using System.Diagnostics;
using System.Numerics;
using System.Text;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class BcryptTests
{
    // Vectors of Openwall's crypt_blowfish test suite (as used by PHP and John the Ripper), and OpenBSD's $2b$.
    private static IEnumerable<TestCaseData> Vectors()
    {
        yield return Case("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "ascii");
        yield return Case("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "ascii 2");
        yield return Case("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "ascii 3");
        yield return Case("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", "empty password");
        yield return Case("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
            "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui", "longer than 72 bytes");
        yield return Bytes([0xff, 0xff, 0xa3], "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "8-bit $2y$");
        yield return Bytes([0xff, 0xff, 0xa3], "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "8-bit $2b$");
        yield return Bytes([0xa3], "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", "one 8-bit byte");
    }

    private static TestCaseData Case(string password, string hash, string name) =>
        Bytes(Encoding.ASCII.GetBytes(password), hash, name);

    private static TestCaseData Bytes(byte[] password, string hash, string name) =>
        new TestCaseData(password, hash).SetName(name);

    [TestCaseSource(nameof(Vectors))]
    public void HashesTheStandardVectors(byte[] password, string hash)
    {
        Assert.That(Bcrypt.TryParse(hash, out var parsed, out string error), Is.True, error);
        Assert.That(Bcrypt.Hash(password, parsed.Salt, parsed.Cost, parsed.Minor), Is.EqualTo(hash));
        Assert.That(Bcrypt.Verify(password, parsed), Is.True);
        // A changed first byte (bytes after the 72nd do not count).
        byte[] wrong = password.Length == 0 ? [(byte)'x'] : [(byte)(password[0] ^ 1), .. password[1..]];
        Assert.That(Bcrypt.Verify(wrong, parsed), Is.False);
    }

    [TestCase("$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "bcrypt variant $2x$ is not accepted (only $2a$, $2b$ and $2y$)")]
    [TestCase("$2y$03$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "bcrypt cost 3 is out of range 4..31")]
    [TestCase("$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3", "a bcrypt hash is $2y$NN$ and 53 characters of salt and digest")]
    [TestCase("$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3!", "the salt or digest holds characters outside bcrypt's base64 alphabet")]
    [TestCase("$apr1$x$y", "not a bcrypt hash")]
    public void RefusesOtherShapes(string hash, string expected)
    {
        Assert.That(Bcrypt.TryParse(hash, out _, out string error), Is.False);
        Assert.That(error, Is.EqualTo(expected));
    }

    [Test]
    public void InitialSubkeysAreTheHexDigitsOfPi()
    {
        // pi by Machin's formula in fixed point, then its fractional part word by word.
        int words = BlowfishTables.InitialP.Length + BlowfishTables.InitialS.Length;
        int bits = words * 32 + 64;
        BigInteger scale = BigInteger.One << bits;
        BigInteger pi = 16 * ArcTanInverse(5, scale) - 4 * ArcTanInverse(239, scale);
        BigInteger fraction = pi - 3 * scale;
        var expected = new uint[words];
        for (int i = 0; i < words; i++)
        {
            fraction <<= 32;
            expected[i] = (uint)(fraction >> bits);
            fraction &= scale - 1;
        }
        Assert.That(BlowfishTables.InitialP, Is.EqualTo(expected[..18]));
        Assert.That(BlowfishTables.InitialS, Is.EqualTo(expected[18..]));
    }

    private static BigInteger ArcTanInverse(int x, BigInteger scale)
    {
        BigInteger term = scale / x, total = term, x2 = x * x;
        int sign = -1;
        for (int n = 3; !term.IsZero; n += 2, sign = -sign)
        {
            term /= x2;
            total += sign * (term / n);
        }
        return total;
    }

    [Test]
    public void CostTenTakesTensOfMilliseconds()
    {
        var salt = new byte[16];
        string hash = Bcrypt.Hash("secret"u8, salt, 10);
        Bcrypt.TryParse(hash, out var parsed, out _);
        Bcrypt.Verify("secret"u8, parsed);
        // Processor time, not wall time: the test machine is shared.
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        const int runs = 5;
        for (int i = 0; i < runs; i++) Assert.That(Bcrypt.Verify("secret"u8, parsed), Is.True);
        process.Refresh();
        double ms = (process.TotalProcessorTime - cpu).TotalMilliseconds / runs;
        TestContext.Out.WriteLine($"bcrypt cost 10 verify: {ms:F1} ms of processor time ({watch.Elapsed.TotalMilliseconds / runs:F1} ms wall)");
        // Slow enough to be bcrypt at cost 10, quick enough that one worker thread keeps up with logins.
        Assert.That(ms, Is.InRange(5, 1000));
    }
}
