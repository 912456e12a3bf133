namespace Fmp4Streamer.Access;

/// <summary>
/// bcrypt's base64: the usual bit packing with the alphabet "./A-Za-z0-9" and no padding (16 bytes of salt are 22
/// characters, 23 bytes of digest are 31).
/// </summary>
internal static class BcryptBase64
{
    private const string Alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 5) / 6];
        int n = 0, bits = 0, acc = 0;
        foreach (byte b in data)
        {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= 6)
            {
                bits -= 6;
                chars[n++] = Alphabet[(acc >> bits) & 0x3f];
            }
        }
        if (bits > 0) chars[n++] = Alphabet[(acc << (6 - bits)) & 0x3f];
        return new string(chars, 0, n);
    }

    /// <summary>Fills <paramref name="output"/> exactly; false on a character outside the alphabet.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> output)
    {
        int n = 0, bits = 0, acc = 0;
        foreach (char c in text)
        {
            int value = Alphabet.IndexOf(c);
            if (value < 0) return false;
            acc = ((acc << 6) | value) & 0xffff;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                if (n == output.Length) return false;
                output[n++] = (byte)(acc >> bits);
            }
        }
        return n == output.Length;
    }
}
