namespace Fmp4Streamer.Http;

/// <summary>What a Range header asks of a body of known length (RFC 9110 14.1.2, 14.2).</summary>
public enum RangeKind
{
    /// <summary>No Range, one this server does not serve (other units, several ranges) or bad syntax: the whole body, 200.</summary>
    Whole,
    /// <summary>One range that overlaps the body: 206 with Content-Range.</summary>
    Partial,
    /// <summary>A range entirely past the end: 416 with "Content-Range: bytes */length".</summary>
    Unsatisfiable,
}

/// <summary>
/// One byte range as the request wrote it, "bytes=a-b", "bytes=a-" or "bytes=-n", kept until the body's length is
/// known (a held LL-HLS part request). <see cref="Present"/> is false for no range or one served whole.
/// </summary>
public readonly record struct ByteRange(bool Present, long First, long Last, bool Suffix)
{
    public static ByteRange Parse(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || !value.StartsWith("bytes="u8)) return default;
        var spec = Trim(value[6..]);
        // Several ranges may be answered with the whole representation (14.2): simpler than multipart/byteranges.
        if (spec.IndexOf((byte)',') >= 0) return default;
        int dash = spec.IndexOf((byte)'-');
        if (dash < 0) return default;
        var first = Trim(spec[..dash]);
        var last = Trim(spec[(dash + 1)..]);
        if (first.IsEmpty) return TryNumber(last, out long n) ? new ByteRange(true, 0, n, true) : default;
        if (!TryNumber(first, out long a)) return default;
        long b = long.MaxValue;
        if (!last.IsEmpty && !TryNumber(last, out b)) return default;
        // last < first is invalid, and an invalid range is ignored (14.1.1).
        return b < a ? default : new ByteRange(true, a, b, false);
    }

    /// <summary>The bytes [<paramref name="start"/>, <paramref name="end"/>) of a <paramref name="length"/>-byte body to send.</summary>
    public RangeKind Resolve(long length, out long start, out long end)
    {
        start = 0;
        end = length;
        if (!Present) return RangeKind.Whole;
        if (Suffix)
        {
            if (Last == 0 || length == 0) return RangeKind.Unsatisfiable;
            start = Math.Max(0, length - Last);
            return RangeKind.Partial;
        }
        if (First >= length) return RangeKind.Unsatisfiable;
        start = First;
        end = Math.Min(Last, length - 1) + 1;
        return RangeKind.Partial;
    }

    private static bool TryNumber(ReadOnlySpan<byte> digits, out long n)
    {
        n = 0;
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (byte d in digits)
        {
            if (d < '0' || d > '9') return false;
            n = n * 10 + (d - '0');
        }
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
        return s[a..b];
    }
}
