using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Fmp4Streamer.Access;

/// <summary>
/// bcrypt (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999): the expensive key schedule of
/// Blowfish (EksBlowfishSetup), 2^cost rounds of it, then "OrpheanBeholderScryDoubt" encrypted 64 times. Hashes
/// look like "$2y$10$" + 22 characters of salt + 31 of digest, in bcrypt's own base64 alphabet. $2a$, $2b$ and $2y$
/// are computed alike, as OpenBSD does (the password and its terminating NUL, at most 72 bytes).
/// </summary>
public static unsafe class Bcrypt
{
    public const int MinCost = 4;
    public const int MaxCost = 31;
    public const int SaltBytes = 16;
    public const int DigestBytes = 23;
    private const int MaxKeyBytes = 72;
    private const int HashLength = 60;

    /// <summary>What a stored hash holds.</summary>
    public readonly record struct Parsed(char Minor, int Cost, byte[] Salt, byte[] Digest);

    /// <summary>Splits "$2y$10$salt+digest"; false with a reason for any other shape.</summary>
    public static bool TryParse(string hash, out Parsed parsed, out string error)
    {
        parsed = default;
        if (hash.Length < 4 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$')
        {
            error = "not a bcrypt hash";
            return false;
        }
        char minor = hash[2];
        if (minor != 'a' && minor != 'b' && minor != 'y')
        {
            error = "bcrypt variant $2" + minor + "$ is not accepted (only $2a$, $2b$ and $2y$)";
            return false;
        }
        if (hash.Length != HashLength || hash[6] != '$' || !char.IsAsciiDigit(hash[4]) || !char.IsAsciiDigit(hash[5]))
        {
            error = "a bcrypt hash is $2y$NN$ and 53 characters of salt and digest";
            return false;
        }
        int cost = (hash[4] - '0') * 10 + hash[5] - '0';
        if (cost < MinCost || cost > MaxCost)
        {
            error = "bcrypt cost " + cost + " is out of range " + MinCost + ".." + MaxCost;
            return false;
        }
        var salt = new byte[SaltBytes];
        var digest = new byte[DigestBytes];
        if (!BcryptBase64.TryDecode(hash.AsSpan(7, 22), salt) || !BcryptBase64.TryDecode(hash.AsSpan(29, 31), digest))
        {
            error = "the salt or digest holds characters outside bcrypt's base64 alphabet";
            return false;
        }
        parsed = new Parsed(minor, cost, salt, digest);
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/> (tens of milliseconds at cost 10).</summary>
    public static bool Verify(ReadOnlySpan<byte> password, in Parsed hash)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        Compute(password, hash.Salt, hash.Cost, digest);
        bool equal = CryptographicOperations.FixedTimeEquals(digest, hash.Digest);
        digest.Clear();
        return equal;
    }

    /// <summary>The full hash string, as htpasswd -B would write it (tests, and anyone making a hash).</summary>
    public static string Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int cost, char minor = 'y')
    {
        if (salt.Length != SaltBytes) throw new ArgumentException("bcrypt takes 16 bytes of salt", nameof(salt));
        if (cost < MinCost || cost > MaxCost) throw new ArgumentOutOfRangeException(nameof(cost));
        Span<byte> digest = stackalloc byte[DigestBytes];
        Compute(password, salt, cost, digest);
        return "$2" + minor + "$" + cost.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + "$"
            + BcryptBase64.Encode(salt) + BcryptBase64.Encode(digest);
    }

    /// <summary>The 23 digest bytes of bcrypt(cost, salt, password).</summary>
    // Fully optimised from the first call under the JIT too (tests); NativeAOT compiles it so anyway.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int cost, Span<byte> digest)
    {
        // The key is the password with its C string terminator, cut at 72 bytes.
        Span<byte> key = stackalloc byte[MaxKeyBytes];
        key.Clear();
        int keyLength = Math.Min(password.Length + 1, MaxKeyBytes);
        password[..Math.Min(password.Length, MaxKeyBytes)].CopyTo(key);
        key = key[..keyLength];

        uint* p = stackalloc uint[18];
        uint* s = stackalloc uint[1024];
        for (int i = 0; i < 18; i++) p[i] = BlowfishTables.InitialP[i];
        for (int i = 0; i < 1024; i++) s[i] = BlowfishTables.InitialS[i];

        // EksBlowfishSetup: the salted key schedule, then 2^cost alternating rounds with the key and the salt.
        ExpandKey(p, s, key, salt);
        long rounds = 1L << cost;
        for (long r = 0; r < rounds; r++)
        {
            ExpandKey(p, s, key, default);
            ExpandKey(p, s, salt, default);
        }

        Span<uint> text = stackalloc uint[6];
        ReadOnlySpan<byte> magic = "OrpheanBeholderScryDoubt"u8;
        for (int i = 0; i < 6; i++) text[i] = BinaryPrimitives.ReadUInt32BigEndian(magic[(i * 4)..]);
        for (int n = 0; n < 64; n++)
        {
            for (int i = 0; i < 6; i += 2) Encrypt(p, s, ref text[i], ref text[i + 1]);
        }
        Span<byte> output = stackalloc byte[24];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteUInt32BigEndian(output[(i * 4)..], text[i]);
        // The 24th byte is dropped (the original's encoding of 23 bytes in 31 characters).
        output[..DigestBytes].CopyTo(digest);

        output.Clear();
        key.Clear();
        new Span<uint>(p, 18).Clear();
        new Span<uint>(s, 1024).Clear();
    }

    /// <summary>
    /// Blowfish's key schedule with a salt mixed into the blocks it encrypts (ExpandKey of the paper); an empty salt
    /// is the plain Blowfish schedule.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandKey(uint* p, uint* s, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        int k = 0;
        for (int i = 0; i < 18; i++) p[i] ^= StreamToWord(key, ref k);
        uint l = 0, r = 0;
        int j = 0;
        bool salted = !salt.IsEmpty;
        for (int i = 0; i < 18; i += 2)
        {
            if (salted)
            {
                l ^= StreamToWord(salt, ref j);
                r ^= StreamToWord(salt, ref j);
            }
            Encrypt(p, s, ref l, ref r);
            p[i] = l;
            p[i + 1] = r;
        }
        for (int i = 0; i < 1024; i += 2)
        {
            if (salted)
            {
                l ^= StreamToWord(salt, ref j);
                r ^= StreamToWord(salt, ref j);
            }
            Encrypt(p, s, ref l, ref r);
            s[i] = l;
            s[i + 1] = r;
        }
    }

    /// <summary>The next four bytes of <paramref name="data"/>, big-endian, wrapping around its end.</summary>
    private static uint StreamToWord(ReadOnlySpan<byte> data, ref int position)
    {
        uint word = 0;
        for (int i = 0; i < 4; i++)
        {
            if (position >= data.Length) position = 0;
            word = (word << 8) | data[position++];
        }
        return word;
    }

    /// <summary>One 64-bit block through Blowfish's 16 rounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Encrypt(uint* p, uint* s, ref uint left, ref uint right)
    {
        uint l = left ^ p[0], r = right;
        for (int i = 1; i <= 16; i += 2)
        {
            r ^= F(s, l) ^ p[i];
            l ^= F(s, r) ^ p[i + 1];
        }
        left = r ^ p[17];
        right = l;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint F(uint* s, uint x) =>
        ((s[x >> 24] + s[256 + ((x >> 16) & 0xff)]) ^ s[512 + ((x >> 8) & 0xff)]) + s[768 + (x & 0xff)];
}
