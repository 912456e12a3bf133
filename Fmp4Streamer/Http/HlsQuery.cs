namespace Fmp4Streamer.Http;

/// <summary>The LL-HLS delivery directives of a playlist request (RFC 8216bis 6.2.5): _HLS_msn and _HLS_part.</summary>
public static class HlsQuery
{
    /// <summary>
    /// Reads the directives; -1 for each one absent. False (answer 400, 6.2.5.2) when a value is not a decimal
    /// integer (so also when negative) or _HLS_part comes without _HLS_msn. Other parameters are ignored.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> query, out long msn, out int part)
    {
        msn = -1;
        part = -1;
        bool valid = true;
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            if (pair.StartsWith("_HLS_msn="u8))
            {
                msn = Number(pair[9..]);
                valid &= msn >= 0;
            }
            else if (pair.StartsWith("_HLS_part="u8))
            {
                long p = Number(pair[10..]);
                valid &= p >= 0 && p <= int.MaxValue;
                part = (int)Math.Clamp(p, -1, int.MaxValue);
            }
        }
        if (!valid || (part >= 0 && msn < 0))
        {
            msn = part = -1;
            return false;
        }
        return true;
    }

    private static long Number(ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty || digits.Length > 18) return -1;
        long n = 0;
        foreach (byte b in digits)
        {
            if (b < (byte)'0' || b > (byte)'9') return -1;
            n = n * 10 + (b - '0');
        }
        return n;
    }
}
